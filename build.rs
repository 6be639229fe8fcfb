//! Regenerates `generated/` from `spec/` whenever the spec changes, so `cargo build` and
//! `cargo test` always compile the SDK of the spec that is checked in. With `CI` set, nothing
//! is written: the build fails if `generated/` is out of date, and says how to regenerate.

fn main() -> Result<(), sdkgen::Error> {
    sdkgen::Config::new("spec/stytch-magic-links.yaml", "generated")
        .regenerate_with(
            "cargo run -p sdkgen -- generate spec/stytch-magic-links.yaml --out generated",
        )
        .generate()?;
    Ok(())
}
