//! Reading what a spec says about pages: Dropshot's `x-dropshot-pagination`, and
//! `x-sdkgen-pagination`, the extension a spec author adds to describe a cursor (see the README).
//! Whether the operation really fits is checked by the pagination pass.

use serde::Deserialize;
use serde_json::Value;

use super::Lowerer;
use crate::ir::PaginationHint;
use crate::pointer::Pointer;

/// The extension this generator reads for cursor pagination.
pub const PAGINATION_EXTENSION: &str = "x-sdkgen-pagination";

/// `x-sdkgen-pagination`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CursorExtension {
    /// The query parameter that takes the cursor.
    cursor_param: String,
    /// JSON pointer into the response body to the next page's cursor.
    next_cursor: String,
    /// JSON pointer into the response body to the page's items; the body itself if absent.
    #[serde(default)]
    items: String,
}

impl Lowerer<'_> {
    pub(crate) fn pagination_hint(
        &mut self,
        operation: &Value,
        at: &Pointer,
    ) -> Option<PaginationHint> {
        if let Some(value) = operation.get(PAGINATION_EXTENSION) {
            let at = at.push(PAGINATION_EXTENSION);
            return match CursorExtension::deserialize(value) {
                Ok(ext) if is_pointer(&ext.next_cursor) && is_pointer(&ext.items) => {
                    Some(PaginationHint::Cursor {
                        at,
                        param: ext.cursor_param,
                        next: ext.next_cursor,
                        items: ext.items,
                    })
                }
                Ok(_) => {
                    let message = "`next-cursor` and `items` must be JSON pointers into the response body, such as `/next_cursor`; no pagination helper";
                    self.diags.warning(&at, message);
                    None
                }
                Err(e) => {
                    let message = format!("{e}; no pagination helper");
                    self.diags.warning(&at, message);
                    None
                }
            };
        }
        operation
            .get("x-dropshot-pagination")
            .map(|_| PaginationHint::Dropshot {
                at: at.push("x-dropshot-pagination"),
            })
    }
}

fn is_pointer(text: &str) -> bool {
    text.is_empty() || text.starts_with('/')
}
