//! Prints the spec a `generate` fuzz input stands for: `cargo run --example show -- <input>`
//! writes it to standard output (JSON or YAML, as the input chose), to study or to keep as a
//! regression test.

use arbitrary::{Arbitrary, Unstructured};
use sdkgen_fuzz::model::Document;

fn main() {
    let path = std::env::args().nth(1).expect("usage: show <fuzz input>");
    let bytes = std::fs::read(&path).expect("the input is readable");
    let document = Document::arbitrary_take_rest(Unstructured::new(&bytes)).expect("a document");
    let (name, file) = document.to_file();
    eprintln!("{name}");
    std::io::Write::write_all(&mut std::io::stdout(), &file).expect("written");
}
