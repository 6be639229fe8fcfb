//! The generated crate's README: what the API is, how to use the client (building it, calling
//! an operation, timeouts and retries, errors and rate limits, pagination and validation), the
//! groups and their Cargo features, TLS, and the table of operations. The README is also
//! the crate's documentation, so each example is a `no_run` doctest that `cargo test` compiles.
//!
//! Examples are written by the generator from Rust names and fixed literals (see `sample`);
//! nothing from the spec's text reaches them.

use proc_macro2::TokenStream;
use quote::quote;

use super::manifest::CrateInfo;
use super::one_line;
use super::sample::{self, Arguments};
use crate::ident;
use crate::ir::{Api, Grant, Operation, ParamLocation, SchemeKind, Server};
use crate::pretty;

/// `README.md` of the generated crate.
pub(crate) fn readme(api: &Api, info: &CrateInfo<'_>) -> String {
    let name = info.name;
    let mut out = format!("<!-- {} -->\n\n", super::header_text(info.spec_label));
    out.push_str(&format!("# {}\n\n", name));
    out.push_str(&format!(
        "A Rust client for the **{}** API{}, generated from its OpenAPI description.\n\n",
        super::sanitize_markdown(&one_line(&api.title)),
        if api.api_version.is_empty() {
            String::new()
        } else {
            format!(
                " (version `{}`)",
                one_line(&api.api_version).replace('`', "'")
            )
        },
    ));
    if let Some(description) = &api.description {
        out.push_str(&super::sanitize_markdown(description));
        out.push_str("\n\n");
    }
    out.push_str(&usage(api, &ident::crate_ident(name)));
    out.push_str(&features_section(api, name));
    out.push_str(TLS_SECTION);
    out.push_str(&operations_section(api));
    out
}

fn operations_section(api: &Api) -> String {
    if api.operations.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Operations\n\n| Method | Feature | Request | Summary |\n|---|---|---|---|\n",
    );
    let mut ops: Vec<(String, &Operation)> = api
        .operations
        .values()
        .map(|op| (call_text(api, op), op))
        .collect();
    ops.sort_by(|a, b| a.0.cmp(&b.0));
    for (call, op) in ops {
        let summary = op
            .doc
            .summary
            .as_deref()
            .map(table_cell)
            .unwrap_or_default();
        let request = table_cell(&format!(
            "{} {}",
            op.method.as_str().to_ascii_uppercase(),
            op.path
        ));
        let feature = api.groups.get(op.group).map_or("", |g| g.feature.as_str());
        out.push_str(&format!(
            "| `{call}` | `{feature}` | {request} | {summary} |\n"
        ));
    }
    out.push('\n');
    out
}

/// How the default HTTP client speaks TLS, and how to choose (`ir::TLS_FEATURES`).
const TLS_SECTION: &str = "## TLS\n\nThe default HTTP client speaks HTTPS with rustls (and its \
    `aws-lc-rs` crypto provider) and checks certificates with the platform's verifier: the \
    `rustls` feature, on by default. `rustls-ring` uses rustls with the `ring` crypto provider \
    instead, given to this crate's client only (nothing is installed process-wide; a reqwest \
    client elsewhere in your program that has no TLS feature of its own would then need a \
    provider installed with `rustls::crypto::CryptoProvider::install_default`). The \
    `native-tls` feature uses the platform's TLS library (OpenSSL on Linux; with several, as \
    under `--all-features`, rustls is used and the platform library must still be there to \
    link). With `default-features = false`, name one of them, or the client speaks plain HTTP \
    only. `rustls` and `native-tls` give reqwest a complete TLS setup, so a reqwest your own \
    crate shares with this one keeps working as it did. To configure TLS yourself (client \
    certificates, another crypto provider, a proxy), build a `reqwest::Client` and pass it to \
    `ClientBuilder::http_client`.\n\n";

/// What each Cargo feature compiles, what `default` holds, and how to choose.
fn features_section(api: &Api, name: &str) -> String {
    if api.groups.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Groups and features\n\nEach group of operations is a Cargo feature; a type is \
         compiled when a feature that uses it is enabled. A group's feature also enables the \
         groups inside it.",
    );
    let count = api.operations.len();
    let example = api
        .groups
        .iter()
        .find(|g| g.parent.is_none())
        .map_or("", |g| g.feature.as_str());
    if api.features.default.is_empty() {
        out.push_str(&format!(
            " This API has {count} operations, too many to compile all of them by default: \
             `default` enables no group (only the TLS stack, below), and a build compiles \
             only the client and the features you name. Name the groups you call (`--all-features` compiles the whole \
             API):\n\n```toml\n[dependencies]\n{name} = {{ path = \"...\", features = [\"{example}\"] }}\n```\n\n"
        ));
    } else {
        out.push_str(&format!(
            " `default` enables every group: the API has {count} operations, few enough to \
             compile all of them. To compile only the groups you call, turn the default off and \
             name them:\n\n```toml\n\
             [dependencies]\n{name} = {{ path = \"...\", default-features = false, features = [\"rustls\", \"{example}\"] }}\n```\n\n"
        ));
    }
    out.push_str(
        "What a build costs grows with the operations it enables. For scale, measured on 2 \
         cores for a public API of 1,223 operations: `cargo check` of its crate alone takes \
         about 1 s with no group, 10 s with a group of 204 operations and 2 minutes \
         with every feature.\n\n",
    );
    out.push_str("| Feature | Group | Operations |\n|---|---|---|\n");
    for (i, group) in api.groups.iter().enumerate() {
        let operations = api.operations.values().filter(|op| op.group == i).count();
        let call = api
            .group_chain(i)
            .iter()
            .map(|g| format!(".{}()", g.module))
            .collect::<String>();
        out.push_str(&format!(
            "| `{}` | `client{call}` | {operations} |\n",
            group.feature
        ));
    }
    if let Some(webhooks) = &api.features.webhooks {
        out.push_str(&format!(
            "| `{webhooks}` | the payloads of the API's webhooks | |\n"
        ));
    }
    if let Some(unused) = &api.features.unused {
        out.push_str(&format!(
            "| `{unused}` | the schemas no operation uses | |\n"
        ));
    }
    out.push('\n');
    out
}

/// How an operation is called, from `client`: `client.pets().list()`.
fn call_text(api: &Api, op: &Operation) -> String {
    let mut call = "client".to_owned();
    for group in api.group_chain(op.group) {
        call.push_str(&format!(".{}()", group.module));
    }
    format!("{call}.{}()", op.method_name)
}

/// Spec text made safe for one Markdown table cell.
fn table_cell(text: &str) -> String {
    let text = super::sanitize_markdown(&one_line(text));
    text.replace('|', "\\|")
}

/// The Markdown of the usage sections for the crate `krate` (its name as a Rust path).
fn usage(api: &Api, krate: &str) -> String {
    let krate_ident = ident::ident(krate);
    let mut out = String::new();
    let example = api
        .operations
        .values()
        .find_map(|op| sample::arguments(api, op).map(|args| (op, args)));
    let mut usage = "Build a client once and share it (cloning is cheap). Operations are in \
                     groups, as the API description's tags (or paths) sort them: \
                     `client.<group>()` returns a handle whose methods are the group's \
                     operations, and each returns a `Call`: await it to send the request. \
                     Request and response types are in the `types` module."
        .to_owned();
    if api.security_schemes.is_empty() {
        usage.push_str(
            " The API description declares no security scheme; if the API needs a credential \
             anyway, `.credential_for_every_request(runtime::Credential::bearer(token))` on the \
             builder (or `basic`, `api_key`) sends it with every request to the API's origin, \
             and it never prints.",
        );
    }
    section(
        &mut out,
        "Usage",
        &usage,
        client_example(api, &krate_ident, example.as_ref()),
    );
    if !api.security_schemes.is_empty() {
        out.push_str(&credentials_section(api));
        if let Some(code) = changing_credentials_example(api, &krate_ident) {
            out.push_str(&format!("```rust,no_run\n{code}\n```\n\n"));
        }
    }
    if let Some((op, args)) = &example {
        section(
            &mut out,
            "Timeouts and retries",
            "A client has a timeout for each attempt and a retry policy: connection failures, \
             408, 429 and 5xx responses are retried with exponential backoff and jitter, \
             honouring `Retry-After`, for requests that are safe to repeat. A `POST` or `PATCH` \
             is retried only when the API description marks it `x-idempotent` or the call says \
             `.idempotent(true)`. Each call can override both.",
            timeout_example(api, &krate_ident, op, args),
        );
        section(
            &mut out,
            "Errors and rate limits",
            "Errors are `Error<E>`, where `E` is the error body the operation declares. The \
             status and headers of every response, success or error, are available.",
            rate_limit_example(api, &krate_ident, op, args),
        );
    }
    let paginated = api.operations.values().find_map(|op| {
        let pagination = op.pagination.as_ref()?;
        sample::arguments(api, op).map(|args| (op, pagination.method.as_str(), args))
    });
    if let Some((op, method, args)) = paginated {
        section(
            &mut out,
            "Pagination",
            "Operations whose pages the API description explains have a `_stream` method that \
             returns every item, fetching each page when the items before it have been read.",
            stream_example(api, &krate_ident, op, method, &args),
        );
    }
    out.push_str(
        "## Validation\n\nValues are checked against the API description's constraints \
         (`minimum`, `maxLength`, `pattern`, ...) before a request is sent: a request that breaks \
         one fails with `Error::InvalidRequest`, listing every violation, and nothing is sent. \
         `.without_validation()` on a call skips the checks.\n\n",
    );
    out.push_str(
        "## Serde and compile time\n\nA type implements `Serialize` if requests carry it and \
         `Deserialize` if responses do; the `full-serde` feature gives every type both. They \
         read and write what serde's derives would, in far less code: a struct is read from \
         a JSON object (not from an array, which the derive also accepts). \
         Operation methods are `#[inline]`: each is compiled, with the decoding of its \
         responses, in the crate that calls it, so a program compiles only the operations it \
         uses.\n\n",
    );
    out
}

/// How to give each credential the API description declares, in its own words.
fn credentials_section(api: &Api) -> String {
    let mut out = "## Credentials\n\nEach security scheme of the API description has a method on \
                   the client builder. A credential is sent only with the operations that ask \
                   for it, only to the API's origin (a redirect elsewhere drops it), and never \
                   appears in `Debug` output, errors or logs.\n\n"
        .to_owned();
    for scheme in api.security_schemes.values() {
        let (arguments, what) = match &scheme.kind {
            SchemeKind::Basic => ("user, password", "HTTP Basic authentication".to_owned()),
            SchemeKind::Bearer => (
                "token",
                "a bearer token in the `Authorization` header".to_owned(),
            ),
            SchemeKind::ApiKey { location, name } => {
                let place = match location {
                    ParamLocation::Header => "header",
                    ParamLocation::Query => "query parameter",
                    ParamLocation::Cookie => "cookie",
                    ParamLocation::Path => "path parameter",
                };
                (
                    "key",
                    format!("an API key in the `{}` {place}", name.replace('`', "'")),
                )
            }
        };
        out.push_str(&format!("- `.{}({arguments})`: {what}.", scheme.method));
        if let Some(description) = &scheme.description {
            let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!(" {}", super::sanitize_markdown(&text)));
        }
        out.push('\n');
        for flow in &scheme.token_flows {
            let (grant, what) = match flow.grant {
                Grant::ClientCredentials => (
                    "runtime::ClientCredentials::new(client_id, client_secret)",
                    "OAuth 2 client credentials",
                ),
                Grant::RefreshToken => (
                    "runtime::RefreshToken::new(client_id, refresh_token)",
                    "a refresh token the application holds",
                ),
            };
            out.push_str(&format!(
                "- `.{}({grant})`: access tokens fetched with {what} from the token URL of \
                 the API description, cached until shortly before they expire, fetched once for \
                 many concurrent calls and again when the API rejects one.\n",
                flow.method
            ));
        }
    }
    out.push_str(
        "\nEvery scheme's credential can also come from a provider of yours, asked whenever a \
         request needs it (`.<scheme>_provider(provider)`), and a middleware can change each \
         request to the API's origin before it goes out (to sign it, say); both may await.\n\n",
    );
    out
}

/// A credential provider that awaits, and a signing middleware.
fn changing_credentials_example(api: &Api, krate: &proc_macro2::Ident) -> Option<String> {
    let scheme = api.security_schemes.values().next()?;
    let provider = ident::ident(&scheme.provider_method);
    let credential = match scheme.kind {
        SchemeKind::Basic => quote!(runtime::Credential::basic("user", password)),
        SchemeKind::Bearer => quote!(runtime::Credential::bearer(password)),
        SchemeKind::ApiKey { .. } => quote!(runtime::Credential::api_key(
            runtime::ApiKeyLocation::Header,
            "X-Api-Key",
            password
        )),
    };
    let body = quote! {
        /// Reads the current secret from wherever it is kept, each time a request needs it.
        struct Vault;

        impl runtime::CredentialProvider for Vault {
            fn credential<'a>(
                &'a self,
                _request: &'a runtime::CredentialRequest<'a>,
            ) -> runtime::BoxFuture<'a, Result<runtime::Credential, runtime::CredentialError>> {
                Box::pin(async move {
                    let password = read("API_SECRET").await.map_err(runtime::CredentialError::new)?;
                    Ok(#credential)
                })
            }
        }

        async fn read(name: &str) -> Result<String, String> {
            std::env::var(name).map_err(|_| format!("{name} is not set"))
        }

        /// Says which key signs the request, after awaiting it (a real signer would also add
        /// the signature of the method, path and body).
        struct Signing;

        impl runtime::Middleware for Signing {
            fn handle<'a>(
                &'a self,
                mut request: runtime::HttpRequest,
                next: runtime::Next<'a>,
            ) -> runtime::BoxFuture<'a, runtime::Sent> {
                Box::pin(async move {
                    let key_id = read("SIGNING_KEY_ID").await.map_err(runtime::TransportError::middleware)?;
                    let value = runtime::HeaderValue::from_str(&key_id)
                        .map_err(runtime::TransportError::middleware)?;
                    request.headers_mut().insert("x-signing-key", value);
                    next.run(request).await
                })
            }
        }

        fn build(base_url: &str) -> Result<Client, BuildError> {
            Client::builder(base_url)
                .#provider(Vault)
                .middleware(Signing)
                .build()
        }
    };
    let uses = uses(krate, &body, &["BuildError", "Client"]);
    Some(pretty::example_items(quote!(#uses #body)))
}

/// The `cfg` an example that calls `op` needs when `op`'s group is not a default feature, so
/// that the example compiles (to nothing) without it.
fn unless_default(api: &Api, op: &Operation) -> TokenStream {
    let features = super::operation_features(api, op);
    if features.iter().all(|f| default_enables(api, op.group, f)) {
        TokenStream::new()
    } else {
        super::feature_gate(&features)
    }
}

/// Whether `default` enables `feature`, the feature of `group`: it lists it or a group
/// around it.
fn default_enables(api: &Api, group: usize, feature: &str) -> bool {
    api.features.default.iter().any(|f| f == feature)
        || api
            .group_chain(group)
            .iter()
            .any(|g| api.features.default.contains(&g.feature))
}

fn section(out: &mut String, title: &str, prose: &str, code: Option<String>) {
    out.push_str(&format!("## {title}\n\n{prose}\n\n"));
    if let Some(code) = code {
        out.push_str(&format!("```rust,no_run\n{code}\n```\n\n"));
    }
}

/// `use` lines for what an example names.
fn uses(krate: &proc_macro2::Ident, code: &TokenStream, names: &[&str]) -> TokenStream {
    let text = code.to_string();
    let mut wanted: Vec<proc_macro2::Ident> = names.iter().map(|n| ident::ident(n)).collect();
    for module in ["runtime", "types"] {
        if text.contains(&format!("{module} ::")) {
            wanted.push(ident::ident(module));
        }
    }
    wanted.sort_by_key(|i| i.to_string());
    quote!(use #krate::{#(#wanted),*};)
}

fn client_example(
    api: &Api,
    krate: &proc_macro2::Ident,
    example: Option<&(&Operation, Arguments)>,
) -> Option<String> {
    let base_url = match api.servers.first() {
        Some(server) => {
            let name = ident::ident(&server.name);
            quote!(servers::#name)
        }
        None => quote!("https://api.example.com"),
    };
    let relative = (api.servers.first().is_some_and(Server::is_relative))
        .then(|| quote!(.relative_to("https://api.example.com")));
    let credentials = api.security_schemes.values().map(|scheme| {
        let method = ident::ident(&scheme.method);
        match scheme.kind {
            SchemeKind::Basic => quote!(.#method("user", "password")),
            _ => quote!(.#method("secret")),
        }
    });
    let gate = example.map(|(op, _)| unless_default(api, op));
    let call = example.map(|(op, Arguments { setup, args })| {
        let method = super::method_call(api, op, &op.method_name);
        let read = sample::read_response(api, op);
        quote! {
            #setup
            let response = #method(#args).await?;
            #read
        }
    });
    let body = quote! {
        #gate
        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            let client = Client::builder(#base_url)
                #relative
                #(#credentials)*
                .build()?;
            #call
            Ok(())
        }
    };
    let mut names = vec!["Client"];
    if !api.servers.is_empty() {
        names.push("servers");
    }
    let uses = uses(krate, &body, &names);
    Some(pretty::example_items(quote!(#uses #body)))
}

fn timeout_example(
    api: &Api,
    krate: &proc_macro2::Ident,
    op: &Operation,
    Arguments { setup, args }: &Arguments,
) -> Option<String> {
    let method = super::method_call(api, op, &op.method_name);
    let gate = unless_default(api, op);
    let body = quote! {
        fn build(base_url: &str) -> Result<Client, BuildError> {
            Client::builder(base_url)
                .timeout(Duration::from_secs(10))
                .retry(RetryPolicy::default().with_max_attempts(5))
                .build()
        }

        #gate
        async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
            #setup
            let response = #method(#args)
                .timeout(Duration::from_secs(2))
                .retry(RetryPolicy::none())
                .await?;
            println!("{}", response.status());
            Ok(())
        }
    };
    let uses = uses(krate, &body, &["BuildError", "Client"]);
    Some(pretty::example_items(quote! {
        use std::time::Duration;
        #uses
        use #krate::runtime::RetryPolicy;
        #body
    }))
}

fn rate_limit_example(
    api: &Api,
    krate: &proc_macro2::Ident,
    op: &Operation,
    Arguments { setup, args }: &Arguments,
) -> Option<String> {
    let method = super::method_call(api, op, &op.method_name);
    // The declared error body, decoded: what a caller matches on.
    let telling = super::summary::telling_field(api, &op.error).map(ident::ident);
    let typed = match telling
        .map(sample::Readable::Field)
        .or_else(|| sample::readable(api, &op.error))
    {
        Some(sample::Readable::Field(name)) => Some(quote! {
            Err(Error::Api(error)) if error.status.is_client_error() => {
                println!("{}: {:?}", error.status, error.body.#name);
            }
        }),
        _ => None,
    };
    let gate = unless_default(api, op);
    let body = quote! {
        #gate
        async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
            #setup
            match #method(#args).await {
                Ok(response) => println!("{}", response.status()),
                Err(Error::Api(error)) if error.status == 429 => {
                    let wait = error
                        .headers
                        .get("retry-after")
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("a while");
                    println!("rate limited: try again after {wait}");
                }
                #typed
                Err(Error::InvalidRequest(invalid)) => println!("not sent: {invalid}"),
                Err(error) => return Err(error.into()),
            }
            Ok(())
        }
    };
    let uses = uses(krate, &body, &["Client", "Error"]);
    Some(pretty::example_items(quote!(#uses #body)))
}

fn stream_example(
    api: &Api,
    krate: &proc_macro2::Ident,
    op: &Operation,
    method: &str,
    Arguments { setup, args }: &Arguments,
) -> Option<String> {
    let method = super::method_call(api, op, method);
    let gate = unless_default(api, op);
    let body = quote! {
        #gate
        async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
            #setup
            let mut items = #method(#args);
            while let Some(item) = items.next().await {
                println!("{:?}", item?);
            }
            Ok(())
        }
    };
    let uses = uses(krate, &body, &["Client"]);
    Some(pretty::example_items(quote!(#uses #body)))
}
