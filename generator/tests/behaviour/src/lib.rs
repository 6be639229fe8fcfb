//! Behaviour tests of generated crates; the tests are in `tests/`.
