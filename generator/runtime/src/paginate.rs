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
#[must_use = "a listing does nothing until it is read"]
pub struct Paginated<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
}

impl<'a, T: Send + 'a, E: Send + 'a> Paginated<'a, T, E> {
    /// A listing whose pages come from `fetch` (given the cursor of the page to fetch, `None`
    /// for the first), whose next cursor `next` reads from a page, and whose items `items` takes
    /// out of it.
    pub fn new<Page, H>(
        fetch: impl Fn(Option<String>) -> Call<'a, Page, E, H> + Send + 'a,
        next: fn(&Response<Page, H>) -> Option<String>,
        items: fn(Page) -> Vec<T>,
    ) -> Self
    where
        Page: Send + 'a,
        H: FromHeaders + Send + 'a,
    {
        let start = (Some(None::<String>), fetch);
        let pages = stream::try_unfold(start, move |(cursor, fetch)| async move {
            let Some(cursor) = cursor else {
                return Ok::<_, Error<E>>(None);
            };
            let response = fetch(cursor.clone()).await?;
            let following =
                next(&response).filter(|c| !c.is_empty() && cursor.as_deref() != Some(c.as_str()));
            let items = items(response.into_body());
            let following = if items.is_empty() { None } else { following };
            Ok(Some((items, (following.map(Some), fetch))))
        });
        let items = pages
            .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
            .try_flatten();
        Paginated {
            inner: Box::pin(items),
        }
    }

    /// The next item, fetching the next page if needed; `None` at the end of the listing.
    // An `async` counterpart of `Iterator::next`, as `StreamExt::next` is.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> impl Future<Output = Option<Result<T, Error<E>>>> + '_ {
        self.inner.next()
    }

    /// Reads the whole listing into a vector, stopping at the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        let mut inner = self.inner;
        while let Some(item) = inner.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T, E> Stream for Paginated<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
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
