//! The OpenAPI 3.1 and Swagger 2.0 front ends on what the golden fixtures do not show: schemas
//! in other files, versions written as numbers, 2.0 details (collection formats, nullable
//! references, a shared response under an operation's own media types) and where their
//! warnings point.

mod common;

use common::diff::generate_text;

fn file_text(generated: &sdkgen::Generated, path: &str) -> String {
    String::from_utf8(generated.files[path].clone()).unwrap()
}

fn warnings(generated: &sdkgen::Generated) -> Vec<String> {
    generated
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.location, w.message))
        .collect()
}

#[test]
fn schemas_in_other_files_of_a_3_1_spec_are_read_as_3_1() {
    let dir = common::scratch("front-ends-external");
    std::fs::write(
        dir.join("api.yaml"),
        "openapi: 3.1.0\ninfo: {title: Ext, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: pet.yaml}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("pet.yaml"),
        "type: object\nrequired: [name]\nproperties:\n  name: {type: [string, 'null']}\n  owner: {$ref: '#/$defs/Owner'}\n$defs:\n  Owner:\n    type: object\n    properties:\n      tags: {type: [array, 'null'], items: {type: string}}\n",
    )
    .unwrap();
    let generated = common::generate(&dir.join("api.yaml"), &dir.join("out"), false);
    let pet = file_text(&generated, "src/types/pet.rs");
    assert!(pet.contains("pub name: Option<String>"), "{pet}");
    let owner = file_text(&generated, "src/types/owner.rs");
    // Nullable and optional; only responses carry `Owner`, so that is one `Option`.
    assert!(owner.contains("pub tags: Option<Vec<String>>"), "{owner}");
    assert!(generated.warnings.is_empty(), "{:?}", warnings(&generated));
}

#[test]
fn versions_written_as_numbers_are_read_with_a_warning() {
    for (text, version) in [
        (
            "openapi: 3.1\ninfo: {title: T, version: '1'}\npaths: {}\n",
            "3.1",
        ),
        (
            "openapi: 3.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
            "3.0",
        ),
        (
            "swagger: 2.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
            "2.0",
        ),
    ] {
        let generated = generate_text("t", "spec.yaml", text.as_bytes());
        let shown = warnings(&generated).join("\n");
        assert!(
            shown.contains("should be") && shown.contains(version),
            "{shown}"
        );
    }
    let failed = sdkgen::generate(
        "spec.yaml",
        b"openapi: 4.0\npaths: {}\n",
        &sdkgen::Options {
            crate_name: Some("t".into()),
            crate_version: "0.1.0".into(),
            spec_label: "spec.yaml".into(),
            folders: None,
            example_check: false,
            call_check: false,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        failed.diagnostics[0]
            .message
            .contains("unknown OpenAPI version 4")
    );
}

const SWAGGER: &str = r##"
swagger: "2.0"
info: {title: Old, version: "1"}
produces: [application/json]
responses:
  Problem:
    description: A problem.
    schema: {$ref: "#/definitions/Problem"}
paths:
  /items/{ids}:
    get:
      operationId: getItems
      produces: [application/xml]
      parameters:
        - {name: ids, in: path, required: true, type: array, items: {type: string}, collectionFormat: pipes}
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: tsv}
      responses:
        "200":
          description: Items.
          schema: {$ref: "#/definitions/Item"}
        default: {$ref: "#/responses/Problem"}
    post:
      operationId: tagItems
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: ids, in: path, required: true, type: string}
        - {name: tags, in: formData, type: array, items: {type: string}}
      responses:
        "204": {description: Tagged.}
definitions:
  Item:
    type: object
    properties:
      parent: {$ref: "#/definitions/Item", x-nullable: true}
  Problem:
    type: object
    properties:
      title: {type: string}
"##;

#[test]
fn swagger_2_details_are_translated_or_reported_where_they_are() {
    let generated = generate_text("old", "old.yaml", SWAGGER.as_bytes());
    let shown = warnings(&generated);
    for expected in [
        "#/paths/~1items~1{ids}/get/parameters/0/collectionFormat: `collectionFormat: pipes` in a path parameter is sent comma-separated",
        "#/paths/~1items~1{ids}/get/parameters/1/collectionFormat: `collectionFormat: tsv` is not supported",
        "#/paths/~1items~1{ids}/post/parameters/1/collectionFormat: `collectionFormat: csv` in a form is not supported",
    ] {
        assert!(
            shown.iter().any(|w| w.starts_with(expected)),
            "{expected}\n{shown:#?}"
        );
    }
    // A reference marked `x-nullable` may be null, and stays the referenced type.
    let item = file_text(&generated, "src/types/item.rs");
    assert!(
        item.contains("pub parent: Option<Option<Box<Item>>>"),
        "{item}"
    );
    // The shared response is read under the operation's own media type: the client asks for
    // XML only.
    let get = file_text(&generated, "src/operations/items/get.rs");
    assert!(get.contains("request.accept(\"application/xml\")"), "{get}");
}
