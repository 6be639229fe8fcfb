//! A configuration file at work in a user's project (the README's command workflow): a spec
//! whose `sdkgen.toml` selects one group (merging a second tag into it), renames an operation,
//! a type and a field, maps a schema to the project's own Rust type and `date-time` to
//! `String`, adds derives, and applies an overlay that gives an operation its missing
//! operationId and removes an internal path. The generated crate is built with a program that
//! compiles only if each of those took effect, and calls a loopback server; `sdkgen check`
//! then passes. Configuration mistakes are located errors.

mod common;
#[path = "common/project.rs"]
mod project;

use std::path::Path;
use std::process::Command;

use project::{Server, sdkgen};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /products:
    get:
      tags: [products]
      responses:
        '200':
          description: the products
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/ProductRecord'}}
  /categories:
    get:
      operationId: listCategories
      tags: [catalog]
      responses:
        '200':
          description: the categories
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /admin/report:
    get:
      operationId: getReport
      tags: [admin]
      responses:
        '200':
          description: a report
          content:
            application/json:
              schema: {$ref: '#/components/schemas/AdminReport'}
  /internal/debug:
    get:
      operationId: debugState
      tags: [products]
      responses:
        '200': {description: internal}
components:
  schemas:
    ProductRecord:
      type: object
      required: [sku_code, price, updated_at]
      properties:
        sku_code: {type: string}
        price: {$ref: '#/components/schemas/Money'}
        updated_at: {type: string, format: date-time}
    Money:
      description: An amount in cents.
      type: integer
    AdminReport:
      type: object
      properties:
        total: {$ref: '#/components/schemas/ReportTotal'}
    ReportTotal:
      type: object
      properties:
        count: {type: integer}
"#;

const CONFIG: &str = r#"[crate]
name = "shop"

[spec]
overlays = ["shop.overlay.yaml"]

[include]
groups = ["products"]

[groups]
catalog = "products"

[rename.operations]
listProducts = "all_products"

[rename.types]
ProductRecord = "Product"

[rename.fields]
"ProductRecord.sku_code" = "sku"

[types]
Money = "shop_types::Money"

[formats]
date-time = "String"

[derives]
ProductRecord = ["Hash", "Eq"]

[dependencies]
shop-types = { path = "../shop-types" }
"#;

const OVERLAY: &str = r#"overlay: 1.0.0
info: {title: Fixes to the shop's spec, version: '1'}
actions:
  - target: $.paths['/products'].get
    update: {operationId: listProducts}
  - target: $.paths['/internal/debug']
    remove: true
"#;

/// The project's own type for amounts, which the configuration maps `Money` to.
const SHOP_TYPES: &str = r#"//! The project's own types.

/// An amount in cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money(pub i64);

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <i64 as serde::Deserialize>::deserialize(deserializer).map(Money)
    }
}
"#;

/// Compiles only if the group, renames, type mapping, format mapping and derives took
/// effect (and the overlay's operationId, which the rename names).
const APP: &str = r#"use std::collections::HashSet;

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).expect("a base URL");
    let client = shop::Client::new(base).expect("a client");
    let products: Vec<shop::types::Product> =
        client.products().all_products().await.expect("products").into_body();
    let categories = client.products().list_categories().await.expect("categories");
    let price: shop_types::Money = products[0].price;
    let updated: &String = &products[0].updated_at;
    let distinct: HashSet<shop::types::Product> = products.iter().cloned().collect();
    println!(
        "{} costs {} (updated {updated}); {} distinct; categories {}",
        products[0].sku,
        price.0,
        distinct.len(),
        categories.join(",")
    );
}
"#;

fn answer(request: &str) -> String {
    if request.starts_with("GET /products ") {
        let one = r#"{"sku_code":"A-1","price":1250,"updated_at":"2026-12-01T10:00:00+01:00"}"#;
        format!("[{one},{one}]")
    } else if request.starts_with("GET /categories ") {
        r#"["tea","cups"]"#.to_owned()
    } else {
        r#"{"unexpected":true}"#.to_owned()
    }
}

/// Lays out the project: the spec with its configuration and overlay, the project's types
/// crate, the program, and a workspace of the three crates (the generated one included).
fn lay_out(root: &Path) {
    for dir in ["spec", "shop-types/src", "app/src"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(root.join("spec/shop.yaml"), SPEC).unwrap();
    std::fs::write(root.join("spec/sdkgen.toml"), CONFIG).unwrap();
    std::fs::write(root.join("spec/shop.overlay.yaml"), OVERLAY).unwrap();
    std::fs::write(
        root.join("shop-types/Cargo.toml"),
        "[package]\nname = \"shop-types\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nserde = \"1\"\n",
    )
    .unwrap();
    std::fs::write(root.join("shop-types/src/lib.rs"), SHOP_TYPES).unwrap();
    std::fs::write(
        root.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nshop = { path = \"../generated\" }\nshop-types = { path = \"../shop-types\" }\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    )
    .unwrap();
    std::fs::write(root.join("app/src/main.rs"), APP).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\", \"generated\", \"shop-types\"]\nresolver = \"3\"\n",
    )
    .unwrap();
    std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
}

#[test]
fn the_configuration_selects_renames_maps_types_and_applies_an_overlay() {
    if common::skip_nested_builds() {
        return;
    }
    let project = tempfile::tempdir().expect("a temporary folder");
    let root = project.path();
    lay_out(root);
    sdkgen(root, &["generate", "spec/shop.yaml", "--out", "generated"]);

    let generated = |path: &str| root.join("generated").join(path);
    // Selection: the admin group and the types only it reached are gone; the overlay removed
    // the internal path.
    assert!(!generated("src/operations/admin").exists());
    assert!(!generated("src/types/admin_report.rs").exists());
    assert!(!generated("src/types/report_total.rs").exists());
    assert!(!generated("src/types/money.rs").exists());
    let products = std::fs::read_to_string(generated("src/operations/products/mod.rs")).unwrap();
    assert!(!products.contains("debug_state"), "{products}");
    let manifest = std::fs::read_to_string(generated("Cargo.toml")).unwrap();
    assert!(manifest.contains("shop-types"), "{manifest}");

    let server = Server::start(answer);
    let out = common::run_ok(
        project::cargo(root)
            .args(["run", "--quiet", "-p", "app", "--"])
            .arg(&server.url),
    );
    assert!(
        out.contains(
            "A-1 costs 1250 (updated 2026-12-01T10:00:00+01:00); 1 distinct; categories tea,cups"
        ),
        "{out}"
    );
    sdkgen(root, &["check", "spec/shop.yaml", "--out", "generated"]);
}

/// `sdkgen generate` with `config` as the configuration: its exit status and error output.
fn generate_with(config: &str) -> (bool, String) {
    let project = tempfile::tempdir().expect("a temporary folder");
    let root = project.path();
    lay_out(root);
    std::fs::write(root.join("spec/sdkgen.toml"), config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(["generate", "spec/shop.yaml", "--out", "generated"])
        .current_dir(root)
        .output()
        .expect("sdkgen runs");
    let written = root.join("generated").exists();
    assert!(
        out.status.success() || !written,
        "nothing is written on an error"
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn configuration_mistakes_are_located_errors() {
    let (ok, stderr) = generate_with("[crate]\nname = \"shop\"\nedition = \"2024\"\n");
    assert!(!ok);
    assert!(
        stderr.contains("error: spec/sdkgen.toml:3:1: unknown field `edition`"),
        "{stderr}"
    );
    let (ok, stderr) = generate_with("[rename.operations]\nlistNothing = \"x\"\n");
    assert!(!ok);
    assert!(
        stderr.contains(
            "error: spec/sdkgen.toml:2:1: no operation has the operationId `listNothing`"
        ),
        "{stderr}"
    );
    let (ok, stderr) = generate_with("[formats]\ndate-time = \"time\"\n");
    assert!(!ok);
    assert!(
        stderr.contains("spec/sdkgen.toml:2:13: `time` cannot be used"),
        "{stderr}"
    );
    // Two things given one name, and a rename that takes another's name: each names both.
    let (ok, stderr) =
        generate_with("[rename.types]\nProductRecord = \"Report\"\nAdminReport = \"Report\"\n");
    assert!(!ok);
    assert!(
        stderr.contains("#/components/schemas/AdminReport")
            && stderr.contains("#/components/schemas/ProductRecord"),
        "{stderr}"
    );
    let (ok, stderr) = generate_with("[rename.types]\nProductRecord = \"AdminReport\"\n");
    assert!(!ok);
    assert!(
        stderr.contains("spec/shop.yaml#/components/schemas/AdminReport: this is named `AdminReport`, the name the configuration gives `#/components/schemas/ProductRecord`"),
        "{stderr}"
    );
    let (ok, stderr) = generate_with("[rename.operations]\nlistCategories = \"get_report\"\n");
    assert!(!ok);
    assert!(stderr.contains("#/paths/~1admin~1report/get"), "{stderr}");
}
