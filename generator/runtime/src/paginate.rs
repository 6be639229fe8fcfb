//! Pagination: one stream of every item of a listing, fetching each page when the items before
//! it have been read. Generated code says how a page leads to the next (a cursor in the body, a
//! `Link` header) and where its items are.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use reqwest::header::{HeaderMap, LINK};

use super::error::Error;
use super::request::Call;
use super::response::{FromHeaders, Response};

/// Every item of a listing, page after page. Read it with [`Paginated::next`], or as a
/// [`Stream`].
///
/// A page is fetched only when the items before it have been read; an error ends the stream.
/// The listing ends at a page without a next cursor, at an empty page, or when the API repeats
/// the cursor it was just given.
///
/// `P` is the operation's optional parameters (for an operation that requires none), set with
/// [`Paginated::params`] before the first item is read.
#[must_use = "a listing does nothing until it is read"]
pub struct Paginated<'a, T, E, P = ()> {
    /// Until the first item is asked for: the parameters, which can still change.
    waiting: Option<Waiting<'a, T, E, P>>,
    items: Option<Items<'a, T, E>>,
}

type Items<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

struct Waiting<'a, T, E, P> {
    params: P,
    start: Box<dyn FnOnce(P) -> Items<'a, T, E> + Send + 'a>,
}

impl<'a, T: Send + 'a, E: Send + 'a, P: Default + Send + 'a> Paginated<'a, T, E, P> {
    /// A listing whose pages come from `fetch` (given the parameters and the cursor of the page
    /// to fetch, `None` for the first), whose next cursor `next` reads from a page, and whose
    /// items `items` takes out of it (for generated code only).
    #[doc(hidden)]
    pub fn new<Page, H, Q>(
        fetch: impl Fn(&P, Option<String>) -> Call<'a, Page, E, H, Q> + Send + 'a,
        next: fn(&Response<Page, H>) -> Option<String>,
        items: fn(Page) -> Vec<T>,
    ) -> Self
    where
        Page: Send + 'a,
        H: FromHeaders + Send + 'a,
        Q: Send + 'a,
    {
        let start = move |params: P| -> Items<'a, T, E> {
            let state = (Some(None::<String>), (fetch, params));
            let pages = stream::try_unfold(state, move |(cursor, (fetch, params))| async move {
                let Some(cursor) = cursor else {
                    return Ok::<_, Error<E>>(None);
                };
                let response = fetch(&params, cursor.clone()).await?;
                let following = next(&response)
                    .filter(|c| !c.is_empty() && cursor.as_deref() != Some(c.as_str()));
                let items = items(response.into_body());
                let following = if items.is_empty() { None } else { following };
                Ok(Some((items, (following.map(Some), (fetch, params)))))
            });
            let items = pages
                .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
                .try_flatten();
            Box::pin(items)
        };
        Paginated {
            waiting: Some(Waiting {
                params: P::default(),
                start: Box::new(start),
            }),
            items: None,
        }
    }
}

impl<'a, T: Send + 'a, E: Send + 'a, P> Paginated<'a, T, E, P> {
    /// Sets the operation's optional parameters for every page (they start unset); the cursor
    /// of each later page is filled in over them. Once the first item has been read, the
    /// listing keeps the parameters it started with.
    pub fn params(mut self, params: P) -> Self {
        if let Some(waiting) = &mut self.waiting {
            waiting.params = params;
        }
        self
    }

    /// The stream of items, started if it was not yet.
    fn items(&mut self) -> &mut Items<'a, T, E> {
        let waiting = &mut self.waiting;
        self.items.get_or_insert_with(|| match waiting.take() {
            Some(Waiting { params, start }) => start(params),
            None => Box::pin(stream::empty()),
        })
    }

    /// The next item, fetching the next page if needed; `None` at the end of the listing.
    // An `async` counterpart of `Iterator::next`, as `StreamExt::next` is.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Option<Result<T, Error<E>>>> + '_ {
        self.items().next()
    }

    /// Reads the whole listing into a vector, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        let items = self.items();
        while let Some(item) = items.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<'a, T: Send + 'a, E: Send + 'a, P: Unpin> Stream for Paginated<'a, T, E, P> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().items().as_mut().poll_next(cx)
    }
}

/// The URL of the `rel="next"` link of a `Link` header (RFC 8288), if there is one.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find_map(|(target, params)| {
            params
                .split(';')
                .filter_map(|param| param.split_once('='))
                .any(|(name, value)| {
                    name.trim().eq_ignore_ascii_case("rel")
                        && value
                            .trim()
                            .trim_matches('"')
                            .split_ascii_whitespace()
                            .any(|rel| rel.eq_ignore_ascii_case("next"))
                })
                .then(|| target.to_owned())
        })
}

/// The links of one header value: `<target>; params, <target>; params`.
fn split_links(value: &str) -> Vec<(&str, &str)> {
    let mut links = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        // The parameters run to the next link.
        let end = after.find('<').unwrap_or(after.len());
        links.push((target, after[..end].trim_end().trim_end_matches(',')));
        rest = &after[end..];
    }
    links
}
