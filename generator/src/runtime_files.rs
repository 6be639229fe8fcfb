//! The hand-written runtime (`generator/runtime/src`), embedded so that every generated crate
//! gets a verbatim copy under `src/runtime/`.

/// Runtime source files by their path under `src/runtime/`.
pub const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../runtime/src/auth.rs")),
    ("binary.rs", include_str!("../runtime/src/binary.rs")),
    ("client.rs", include_str!("../runtime/src/client.rs")),
    ("de.rs", include_str!("../runtime/src/de.rs")),
    ("enums.rs", include_str!("../runtime/src/enums.rs")),
    ("error.rs", include_str!("../runtime/src/error.rs")),
    ("hook.rs", include_str!("../runtime/src/hook.rs")),
    (
        "middleware.rs",
        include_str!("../runtime/src/middleware.rs"),
    ),
    ("mod.rs", include_str!("../runtime/src/mod.rs")),
    ("oauth2.rs", include_str!("../runtime/src/oauth2.rs")),
    ("paginate.rs", include_str!("../runtime/src/paginate.rs")),
    ("params.rs", include_str!("../runtime/src/params.rs")),
    ("provider.rs", include_str!("../runtime/src/provider.rs")),
    ("redact.rs", include_str!("../runtime/src/redact.rs")),
    ("request.rs", include_str!("../runtime/src/request.rs")),
    ("response.rs", include_str!("../runtime/src/response.rs")),
    ("retry.rs", include_str!("../runtime/src/retry.rs")),
    ("send.rs", include_str!("../runtime/src/send.rs")),
    ("ser.rs", include_str!("../runtime/src/ser.rs")),
    ("stream.rs", include_str!("../runtime/src/stream.rs")),
    ("union.rs", include_str!("../runtime/src/union.rs")),
    ("validate.rs", include_str!("../runtime/src/validate.rs")),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Every runtime module is embedded, and nothing else (the crate root and tests stay out).
    #[test]
    fn every_runtime_module_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs") && name != "lib.rs")
            .collect();
        let embedded: BTreeSet<String> = super::FILES
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        assert_eq!(on_disk, embedded);
    }
}
