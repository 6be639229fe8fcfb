//! Parameters: decides how each value is written into the request (as one value, as a list, or
//! as JSON text when neither fits).

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ParamLocation, ParamStyle, Shape};

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    let mut styles = Vec::new();
    for (at, op) in &api.operations {
        for (i, param) in op.params.iter().enumerate() {
            let style = style_of(api, &param.shape, param.location);
            if style == ParamStyle::Json {
                let message = format!(
                    "parameter `{}` is not a single value or a list of them; it is sent as JSON text",
                    param.wire
                );
                diags.warning(&at.push("parameters"), message);
            }
            styles.push((at.clone(), i, style));
        }
    }
    for (at, i, style) in styles {
        if let Some(op) = api.operations.get_mut(&at) {
            op.params[i].style = style;
        }
    }
}

fn style_of(api: &Api, shape: &Shape, location: ParamLocation) -> ParamStyle {
    if api.is_scalar(shape) {
        return ParamStyle::Scalar;
    }
    match api.resolve_alias(shape) {
        Shape::Array(item) if location != ParamLocation::Path && api.is_scalar(item) => {
            ParamStyle::List
        }
        _ => ParamStyle::Json,
    }
}
