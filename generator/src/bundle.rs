//! References to other files: each file a spec refers to (`$ref: common.yaml#/Pet`) is read,
//! checked to be inside the spec's folder (or a folder the user allowed), and placed in the main
//! document under [`EXTERNAL`], with its references rewritten to point there. Lowering then sees
//! one document with local references only. Nothing is ever fetched from the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::{EXTERNAL, Pointer};

/// How many files a spec may pull in.
const MAX_FILES: usize = 1000;

/// Where references may lead.
#[derive(Clone, Debug)]
pub struct Folders {
    /// The folder of the main spec file: relative references start here.
    pub root: PathBuf,
    /// Folders outside `root` that references may also read.
    pub allowed: Vec<PathBuf>,
}

impl Folders {
    /// The folders for the spec file at `spec`: its own folder, and nothing else.
    pub fn for_spec(spec: &Path) -> Option<Folders> {
        let root = spec.parent()?;
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        };
        Some(Folders {
            root,
            allowed: Vec::new(),
        })
    }
}

/// Inlines every file the document refers to; errors are located at the reference.
pub fn bundle(document: &mut Value, folders: Option<&Folders>, diags: &mut Diagnostics) {
    let mut bundler = Bundler {
        folders,
        roots: Vec::new(),
        files: BTreeMap::new(),
        queue: Vec::new(),
    };
    if let Some(folders) = folders {
        bundler.roots = std::iter::once(&folders.root)
            .chain(&folders.allowed)
            .filter_map(|p| p.canonicalize().ok())
            .collect();
    }
    let base = folders.map(|f| f.root.clone()).unwrap_or_default();
    let root = Pointer::root();
    bundler.rewrite(document, &Trail::Root(&root), &base, None, diags);
    while let Some((key, mut value, dir)) = bundler.queue.pop() {
        let at = Pointer::root().push(EXTERNAL).push(&key);
        bundler.rewrite(&mut value, &Trail::Root(&at), &dir, Some(&key), diags);
        bundler.files.insert(key, Some(value));
    }
    let external: serde_json::Map<String, Value> = bundler
        .files
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v)))
        .collect();
    if let (Some(object), false) = (document.as_object_mut(), external.is_empty()) {
        object.insert(EXTERNAL.to_owned(), Value::Object(external));
    }
}

/// The files a bundled document holds under [`EXTERNAL`], as paths from the spec's folder.
pub fn files_read(document: &Value, folders: Option<&Folders>) -> Vec<PathBuf> {
    let (Some(folders), Some(external)) =
        (folders, document.get(EXTERNAL).and_then(Value::as_object))
    else {
        return Vec::new();
    };
    external.keys().map(|key| folders.root.join(key)).collect()
}

/// Where a node sits, kept on the stack as the walk descends; it becomes a [`Pointer`] only when
/// a reference needs one for a diagnostic.
enum Trail<'p> {
    Root(&'p Pointer),
    Key(&'p Trail<'p>, &'p str),
    Index(&'p Trail<'p>, usize),
}

impl Trail<'_> {
    fn pointer(&self) -> Pointer {
        match self {
            Trail::Root(at) => (*at).clone(),
            Trail::Key(parent, key) => parent.pointer().push(key),
            Trail::Index(parent, i) => parent.pointer().push(&i.to_string()),
        }
    }
}

/// What becomes of a `$ref`.
enum Rewrite {
    /// A local reference of the main document.
    Keep,
    To(String),
    /// Reported as an error.
    Failed,
}

struct Bundler<'f> {
    folders: Option<&'f Folders>,
    /// `root` and the allowed folders, with symbolic links resolved.
    roots: Vec<PathBuf>,
    /// Files by key; `None` while a file waits in the queue (or failed to load).
    files: BTreeMap<String, Option<Value>>,
    /// Files read but not yet rewritten: key, content, folder.
    queue: Vec<(String, Value, PathBuf)>,
}

impl Bundler<'_> {
    /// Rewrites the references in `value` (found at `at`, in the file `key`, whose folder is
    /// `dir`): references to other files point into [`EXTERNAL`], and local references of an
    /// external file point into its own place there.
    fn rewrite(
        &mut self,
        value: &mut Value,
        at: &Trail<'_>,
        dir: &Path,
        key: Option<&str>,
        diags: &mut Diagnostics,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    match self.target(reference, at, dir, key, diags) {
                        Rewrite::Keep => {}
                        Rewrite::To(new) => *reference = new,
                        // Reported; an empty schema stands in so that nothing else complains.
                        Rewrite::Failed => {
                            map.clear();
                            return;
                        }
                    }
                }
                for (name, child) in map.iter_mut() {
                    // Extensions (`x-...`) are the vendor's own data, which the generator does
                    // not read: references in them are not followed (and may name files that
                    // were never published).
                    let extension = name.starts_with("x-") && name != EXTERNAL;
                    if name != "$ref" && !extension {
                        self.rewrite(child, &Trail::Key(at, name), dir, key, diags);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.rewrite(item, &Trail::Index(at, i), dir, key, diags);
                }
            }
            _ => {}
        }
    }

    /// What a reference becomes.
    fn target(
        &mut self,
        reference: &str,
        object: &Trail<'_>,
        dir: &Path,
        key: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Rewrite {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file.is_empty() {
            // Local: in an external file, local to that file.
            return match key {
                Some(key) => Rewrite::To(format!(
                    "#{}{fragment}",
                    Pointer::root().push(EXTERNAL).push(key).as_str()
                )),
                None => Rewrite::Keep,
            };
        }
        let at = &object.pointer().push("$ref");
        if file.contains("://") || file.starts_with("//") {
            diags.error(at, format!("`{reference}` is a URL; references are only followed to files in the spec's folder, and nothing is fetched"));
            return Rewrite::Failed;
        }
        let Some(folders) = self.folders else {
            diags.error(
                at,
                format!(
                    "`{reference}` refers to another file, but the spec was not read from a folder"
                ),
            );
            return Rewrite::Failed;
        };
        let Some(decoded) = crate::pointer::percent_decode(file) else {
            diags.error(at, format!("`{reference}` is not a valid file reference"));
            return Rewrite::Failed;
        };
        let path = match dir.join(&decoded).canonicalize() {
            Ok(path) => path,
            Err(e) => {
                diags.error(at, format!("`{reference}` cannot be read: {e}"));
                return Rewrite::Failed;
            }
        };
        if !self.roots.iter().any(|root| path.starts_with(root)) {
            diags.error(at, format!("`{reference}` leads outside the spec's folder; allow its folder explicitly to read it"));
            return Rewrite::Failed;
        }
        let key = relative_key(&path, &folders.root.canonicalize().unwrap_or_default());
        if !self.files.contains_key(&key) && self.load(&key, &path, at, diags).is_none() {
            return Rewrite::Failed;
        }
        Rewrite::To(format!(
            "#{}{fragment}",
            Pointer::root().push(EXTERNAL).push(&key).as_str()
        ))
    }

    fn load(
        &mut self,
        key: &str,
        path: &Path,
        at: &Pointer,
        diags: &mut Diagnostics,
    ) -> Option<()> {
        if self.files.len() >= MAX_FILES {
            diags.error(
                at,
                format!("the spec refers to more than {MAX_FILES} files"),
            );
            return None;
        }
        self.files.insert(key.to_owned(), None);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                diags.error(at, format!("`{key}` cannot be read: {e}"));
                return None;
            }
        };
        match crate::load::parse(key, &bytes) {
            Ok(value) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                self.queue.push((key.to_owned(), value, dir));
                Some(())
            }
            Err(error) => {
                diags.push(Diagnostic {
                    message: format!("in `{key}`{}: {}", error.location, error.message),
                    ..Diagnostic::error(at, "")
                });
                None
            }
        }
    }
}

/// The key of a file: its path relative to the spec's folder with `/`, or its absolute path when
/// it is in another allowed folder.
fn relative_key(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
