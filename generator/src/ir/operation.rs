//! Operations: parameters, bodies, responses and what they decode into.

use std::collections::BTreeMap;

use super::{Docs, Shape};
use crate::ir::Constraints;
use crate::pointer::Pointer;

/// An HTTP operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub operation_id: Option<String>,
    /// The Rust name the user's configuration gives it, exactly (customize pass).
    pub rename: Option<String>,
    /// The operation's Rust name, unique in the crate: the types made for it (parameters,
    /// headers, responses by status) and the tracing label are named after it (naming pass).
    pub name: String,
    /// The name of its method on its group's handle (naming pass): `name` less the words the
    /// group already says, where what remains is clear and unique.
    pub method_name: String,
    /// The operation's tags, in the spec's order; the first decides its group.
    pub tags: Vec<String>,
    /// The group it belongs to: an index into `Api::groups` (groups pass).
    pub group: usize,
    /// The Rust path of its group's handle type, from the crate root
    /// (`operations::pets::Pets`; naming pass).
    pub handle_path: String,
    /// The module (and file) of the method, in its group's folder (naming pass).
    pub module: String,
    /// The module (and file) of the parameter struct, if there is one (naming pass).
    pub params_module: String,
    pub method: HttpMethod,
    /// The path template, such as `/pets/{petId}`.
    pub path: String,
    pub doc: Docs,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Alternatives, each a set of scheme names that must all be satisfied. Empty: no auth.
    pub security: Vec<Vec<String>>,
    /// The OAuth 2 scopes (or roles) the requirements ask for, by scheme; a credential
    /// provider (the runtime's token client) is asked for a token with them.
    pub scopes: BTreeMap<String, Vec<String>>,
    /// The Rust name of the struct holding query, header and cookie parameters (naming pass).
    pub params_type: String,
    /// What a 2xx response decodes into (responses pass).
    pub success: Outcome,
    /// What any other response decodes into (responses pass).
    pub error: Outcome,
    /// Whether the operation is safe to send twice, when the spec says so (`x-idempotent`);
    /// otherwise the HTTP method decides.
    pub idempotent: Option<bool>,
    /// The headers its responses declare, each once (by case-insensitive name), from the
    /// response with the lowest status first.
    pub headers: Vec<ResponseHeader>,
    /// The Rust name of the struct of response headers, if there are any (naming pass).
    pub headers_type: String,
    /// The module (and file) of that struct (naming pass).
    pub headers_module: String,
    /// What the spec says about pages (`x-dropshot-pagination`, `x-sdkgen-pagination`).
    pub pagination_hint: Option<PaginationHint>,
    /// How results continue on later pages, when the spec says so (pagination pass).
    pub pagination: Option<Pagination>,
    /// The stream a success response can be read as (responses pass), and its method.
    pub stream: Option<StreamMethod>,
}

/// A spec's statement that an operation is paginated, before it is checked against the
/// operation's parameters and response.
#[derive(Clone, Debug, PartialEq)]
pub enum PaginationHint {
    /// `x-dropshot-pagination`: `page_token` takes the `next_page` of a page of `items`; later
    /// pages send only the token and `limit`.
    Dropshot { at: Pointer },
    /// `x-sdkgen-pagination`: a query parameter takes a cursor read from the body.
    Cursor {
        at: Pointer,
        /// The query parameter (wire name).
        param: String,
        /// JSON pointer into the response body to the next page's cursor.
        next: String,
        /// JSON pointer into the response body to the page's items (`""`: the body itself).
        items: String,
    },
}

/// How an operation's results continue on later pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    pub next: PageNext,
    /// Whether the spec states it or the pagination pass read it from the shapes.
    pub stated: bool,
    /// The fields from the page body to its list of items; empty when the body is the list.
    pub items: Vec<FieldStep>,
    /// The shape of one item.
    pub item: Shape,
    /// The Rust name of the method that streams every item (naming pass).
    pub method: String,
}

/// Where the next page is.
#[derive(Clone, Debug, PartialEq)]
pub enum PageNext {
    /// A cursor in the body goes into query parameter `param` (index into `params`).
    Cursor {
        param: usize,
        from: CursorSource,
        /// A boolean in the body that says whether another page follows (`has_more`); when it
        /// is `false`, the listing ends (when an optional one is left out, the cursor
        /// decides). Empty: no such field.
        more: Vec<FieldStep>,
        /// Later pages leave out the other optional parameters, except `keep`.
        reset: bool,
        keep: Vec<usize>,
    },
    /// The `rel="next"` URL of the `Link` response header.
    Link,
}

/// Where a page's cursor for the next page is.
#[derive(Clone, Debug, PartialEq)]
pub enum CursorSource {
    /// A string in the body, at these fields.
    Body(Vec<FieldStep>),
    /// A string field (these steps, from the item) of the page's last item: the API continues
    /// after the last item it sent.
    LastItem(Vec<FieldStep>),
}

/// How the pagination pass decided about one operation, for `--report`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PaginationDecision {
    pub operation: Pointer,
    /// Whether the operation streams its pages.
    pub streams: bool,
    /// What was read, or why nothing was (two readings fit, a shape did not).
    pub reading: String,
}

/// One field on the way into a response body: field `index` of the struct at `owner`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldStep {
    pub owner: Pointer,
    pub index: usize,
}

impl Operation {
    /// The names of the path's template parameters, in order, each once: `["owner", "repo"]`
    /// for `/repos/{owner}/{repo}`.
    pub fn path_template_names(&self) -> Vec<String> {
        path_template_names(&self.path)
    }

    /// Whether the operation's answers are redirects: it declares some (`3XX`) and no 2xx. The
    /// client then returns them instead of following them.
    pub fn redirects_answer(&self) -> bool {
        let declares = |f: fn(StatusMatch) -> bool| self.responses.iter().any(|r| f(r.status));
        declares(StatusMatch::is_redirect) && !declares(StatusMatch::is_success)
    }

    /// Calls `f` on every shape of the operation, children first.
    pub fn visit_shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        for param in &mut self.params {
            param.shape.visit_mut(f);
        }
        if let Some(body) = &mut self.body {
            body.shape.visit_mut(f);
        }
        for header in &mut self.headers {
            header.shape.visit_mut(f);
        }
        for response in &mut self.responses {
            if let Some(Content::Json(shape)) = &mut response.content {
                shape.visit_mut(f);
            }
            if let Some(stream) = &mut response.stream {
                stream.shape.visit_mut(f);
            }
        }
        if let Some(stream) = &mut self.stream {
            stream.body.shape.visit_mut(f);
        }
        for outcome in [&mut self.success, &mut self.error] {
            outcome.visit_shapes_mut(f);
        }
    }

    /// The operation's top-level shapes: parameters, body, response headers, declared response
    /// bodies, what success and error decode into, and a page's items.
    pub fn shapes(&self) -> Vec<&Shape> {
        let mut shapes: Vec<&Shape> = self.params.iter().map(|p| &p.shape).collect();
        shapes.extend(self.body.iter().map(|b| &b.shape));
        shapes.extend(self.headers.iter().map(|h| &h.shape));
        fn json(content: &Option<Content>) -> Option<&Shape> {
            match content {
                Some(Content::Json(shape)) => Some(shape),
                _ => None,
            }
        }
        shapes.extend(self.responses.iter().filter_map(|r| json(&r.content)));
        for outcome in [&self.success, &self.error] {
            match outcome {
                Outcome::Single {
                    content: Content::Json(shape),
                    ..
                } => shapes.push(shape),
                Outcome::ByStatus { variants, .. } => {
                    shapes.extend(variants.iter().filter_map(|v| json(&v.content)));
                }
                _ => {}
            }
        }
        shapes.extend(self.pagination.iter().map(|p| &p.item));
        shapes.extend(
            self.responses
                .iter()
                .filter_map(|r| Some(&r.stream.as_ref()?.shape)),
        );
        shapes.extend(self.stream.iter().map(|s| &s.body.shape));
        shapes
    }

    /// The Rust path of the operation's method, from the crate root
    /// (`operations::pets::Pets::list`).
    pub fn method_path(&self) -> String {
        format!("{}::{}", self.handle_path, self.method_name)
    }

    /// Whether the operation's responses declare headers (a struct of response headers).
    pub fn has_headers_struct(&self) -> bool {
        !self.headers.is_empty()
    }

    /// Whether the operation has query, header or cookie parameters (a parameter struct).
    pub fn has_params_struct(&self) -> bool {
        self.params
            .iter()
            .any(|p| p.location != ParamLocation::Path)
    }

    /// Whether the method takes the parameter struct as an argument: when a query, header or
    /// cookie parameter is required. When all of them are optional, the call carries them
    /// instead (set with `Call::params`), and a call that sets none passes nothing.
    pub fn params_argument(&self) -> bool {
        self.params
            .iter()
            .any(|p| p.location != ParamLocation::Path && p.required)
    }

    /// Whether the parameter struct is set on the call rather than passed (see
    /// [`Operation::params_argument`]).
    pub fn params_on_call(&self) -> bool {
        self.has_params_struct() && !self.params_argument()
    }
}

/// HTTP methods OpenAPI allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`: a safe request with a body.
    Query,
}

impl HttpMethod {
    /// The method's name as in a path item (`get`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
            HttpMethod::Query => "query",
        }
    }

    /// All methods, in the order a path item lists them.
    pub const ALL: [HttpMethod; 9] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
        HttpMethod::Query,
    ];
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name (naming pass).
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub shape: Shape,
    pub style: ParamStyle,
    pub sensitive: bool,
    pub doc: Docs,
    pub constraints: Constraints,
    /// The constraints checked before a request is sent (validation pass).
    pub checks: Constraints,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter value is written (OpenAPI's `style` and `explode`, or `content`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`: lists repeat the name (explode) or join with commas; objects give one parameter
    /// per property (explode) or `name=k,v,k,v`.
    Form { explode: bool },
    /// `simple` (path and header): lists and objects joined with commas.
    Simple { explode: bool },
    /// Lists joined with spaces.
    SpaceDelimited,
    /// Lists joined with `|`.
    PipeDelimited,
    /// Objects as `name[key]=value`.
    DeepObject,
    /// The value as JSON text (a parameter described by `content`).
    Json,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub kind: BodyKind,
    pub shape: Shape,
    pub required: bool,
    pub doc: Docs,
}

/// How a request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property; binary properties are file parts.
    Multipart,
    /// A text body (`text/plain` and other text types).
    Text,
    /// Raw bytes (`application/octet-stream` and any other type).
    Binary,
}

/// One declared response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    pub doc: Docs,
    /// The declared content, if any.
    pub content: Option<Content>,
    /// The media type of that content, as the spec writes it.
    pub media_type: Option<String>,
    /// A streamed form the response also (or only) has: events or lines of items.
    pub stream: Option<StreamBody>,
}

/// A response body read as a stream of items as they arrive.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamBody {
    pub kind: StreamKind,
    /// The shape of each item: an event's data, or a line's value.
    pub shape: Shape,
    /// The media type, as the spec writes it.
    pub media_type: String,
}

/// How a stream's items are framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// Server-Sent Events (`text/event-stream`), each event's data JSON.
    Events,
    /// JSON Lines (`application/x-ndjson`, `application/jsonl`): one value per line.
    JsonLines,
    /// JSON text sequences (`application/json-seq`, RFC 7464): records after RS characters.
    JsonSeq,
}

impl StreamKind {
    /// The framing of a media type, if it is a stream's.
    pub fn of(media_type: &str) -> Option<StreamKind> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "text/event-stream" => Some(StreamKind::Events),
            "application/x-ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/ndjson" => Some(StreamKind::JsonLines),
            "application/json-seq" => Some(StreamKind::JsonSeq),
            _ => None,
        }
    }
}

/// An operation's streamed success: what it streams, and the method that does.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamMethod {
    pub body: StreamBody,
    /// The method's name (naming pass): the operation's own when the stream is its only
    /// success body, else the operation's with `_events` or `_lines`.
    pub method: String,
    /// Whether the operation's own method decodes a whole body, so the stream has a method of
    /// its own.
    pub separate: bool,
}

/// A header a response declares.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHeader {
    /// The header name as the spec writes it.
    pub wire: String,
    /// The Rust field name (naming pass).
    pub name: String,
    pub shape: Shape,
    pub doc: Docs,
    pub sensitive: bool,
}

/// A response body as it is decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// JSON of this shape.
    Json(Shape),
    /// Text, as a `String`.
    Text,
    /// Anything else, as bytes.
    Binary,
}

/// Which statuses a response applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u8),
    Default,
}

impl StatusMatch {
    /// Whether the status is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(digit) => digit == 2,
            StatusMatch::Default => false,
        }
    }

    /// Whether the status is a redirect (3xx), which the operation then answers with.
    pub fn is_redirect(self) -> bool {
        match self {
            StatusMatch::Code(code) => (300..400).contains(&code),
            StatusMatch::Range(digit) => digit == 3,
            StatusMatch::Default => false,
        }
    }
}

/// What one side (success or error) of an operation's responses decodes into.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Outcome {
    /// No body is declared: any body is ignored and the value is `()`.
    #[default]
    Nothing,
    /// One kind of body for every status of this side; `optional` when some statuses have no
    /// body (the value is then an `Option`).
    Single { content: Content, optional: bool },
    /// Different bodies by status: an enum with a variant per status (responses pass). `word`
    /// (`response` or `error`) follows the operation's name in the enum's name; name and module
    /// are set by the naming pass.
    ByStatus {
        name: String,
        module: String,
        word: &'static str,
        variants: Vec<StatusVariant>,
    },
}

impl Outcome {
    /// The shapes of the JSON bodies it decodes, one per status that has one.
    pub fn json_shapes(&self) -> Vec<&Shape> {
        match self {
            Outcome::Single {
                content: Content::Json(shape),
                ..
            } => vec![shape],
            Outcome::ByStatus { variants, .. } => variants
                .iter()
                .filter_map(|v| match &v.content {
                    Some(Content::Json(shape)) => Some(shape),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn visit_shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        match self {
            Outcome::Single {
                content: Content::Json(shape),
                ..
            } => shape.visit_mut(f),
            Outcome::ByStatus { variants, .. } => {
                for variant in variants {
                    if let Some(Content::Json(shape)) = &mut variant.content {
                        shape.visit_mut(f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One variant of a by-status outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusVariant {
    pub status: StatusMatch,
    /// The Rust variant name (naming pass).
    pub name: String,
    pub content: Option<Content>,
    pub doc: Docs,
}

/// The names of a path template's parameters, in order, each once.
pub fn path_template_names(path: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    names
}
