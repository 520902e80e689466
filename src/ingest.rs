//! Stage 1: ingest. Reads documents from a directory of text files, a JSON
//! Lines file (plain, `.gz` or `.zst`) or standard input, and yields each
//! document or an error that names the file and line, so that a batch run can
//! go on past bad records and account for every one of them.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One input document. Offsets everywhere in twinrel are Unicode code points
/// (`char`s) into `text`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where the document came from, for error messages.
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    pub path: PathBuf,
    /// 1-based line in a JSON Lines file; `None` for a text file.
    pub line: Option<usize>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Which JSON fields hold the id and the text. The defaults accept `id` or
/// `doc` for the id (the gold format uses `doc`) and `text`.
#[derive(Debug, Clone)]
pub struct FieldNames {
    pub id: Vec<String>,
    pub text: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: vec!["id".into(), "doc".into()],
            text: "text".into(),
        }
    }
}

/// What an input argument names.
#[derive(Debug, Clone, PartialEq)]
pub enum InputSource {
    Stdin,
    TextDir(PathBuf),
    TextFile(PathBuf),
    JsonLines(PathBuf),
}

impl InputSource {
    pub fn from_arg(arg: &str) -> Result<Self> {
        if arg == "-" {
            return Ok(InputSource::Stdin);
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            return Ok(InputSource::TextDir(path));
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_jsonl = [".jsonl", ".json", ".ndjson"].iter().any(|ext| {
            name.ends_with(ext)
                || name.ends_with(&format!("{ext}.gz"))
                || name.ends_with(&format!("{ext}.zst"))
        });
        Ok(if is_jsonl {
            InputSource::JsonLines(path)
        } else {
            InputSource::TextFile(path)
        })
    }
}

/// A stream of documents; bad records come as `Err` items.
pub type DocumentStream = Box<dyn Iterator<Item = Result<Document>> + Send>;

/// Reads the documents of `source` lazily, in input order, so that archives
/// larger than memory stream through. Bad records come back as `Err` items;
/// they never stop the iteration.
pub fn read_documents(source: &InputSource, fields: &FieldNames) -> Result<DocumentStream> {
    match source {
        InputSource::Stdin => Ok(Box::new(JsonLines::new(
            Box::new(BufReader::new(std::io::stdin())),
            PathBuf::from("<stdin>"),
            fields.clone(),
        ))),
        InputSource::JsonLines(path) => Ok(Box::new(JsonLines::new(
            open_maybe_compressed(path)?,
            path.clone(),
            fields.clone(),
        ))),
        InputSource::TextFile(path) => Ok(Box::new(std::iter::once(read_text_file(path)))),
        InputSource::TextDir(dir) => {
            let mut paths = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
                let entry = entry.map_err(|e| Error::io(dir, e))?;
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                // Hidden files and the gold file beside the seeds are not documents.
                if name.starts_with('.') || !path.is_file() || name.ends_with(".jsonl") {
                    continue;
                }
                paths.push(path);
            }
            // Sorted, so that output order does not depend on the file system.
            paths.sort();
            Ok(Box::new(paths.into_iter().map(|p| read_text_file(&p))))
        }
    }
}

fn open_maybe_compressed(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.to_string_lossy();
    let reader: Box<dyn Read + Send> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else if name.ends_with(".zst") {
        Box::new(zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(path, e))?)
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

fn read_text_file(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::BadRecord {
        path: path.to_path_buf(),
        line: 1,
        message: format!("not valid UTF-8: {e}"),
    })?;
    let id = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Document {
        id,
        text,
        title: None,
        date: None,
        url: None,
        lang: None,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

struct JsonLines {
    lines: std::io::Split<Box<dyn BufRead + Send>>,
    path: PathBuf,
    fields: FieldNames,
    line_no: usize,
    done: bool,
}

impl JsonLines {
    fn new(reader: Box<dyn BufRead + Send>, path: PathBuf, fields: FieldNames) -> Self {
        JsonLines {
            lines: reader.split(b'\n'),
            path,
            fields,
            line_no: 0,
            done: false,
        }
    }
}

impl Iterator for JsonLines {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line_no += 1;
            let line = match self.lines.next()? {
                Ok(line) => line,
                Err(e) => {
                    // A read error (a truncated .gz, say) ends the file: report it and stop.
                    self.done = true;
                    return Some(Err(Error::BadRecord {
                        path: self.path.clone(),
                        line: self.line_no,
                        message: format!("read error: {e}"),
                    }));
                }
            };
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(parse_json_record(
                &line,
                &self.path,
                self.line_no,
                &self.fields,
            ));
        }
        None
    }
}

fn parse_json_record(
    line: &[u8],
    path: &Path,
    line_no: usize,
    fields: &FieldNames,
) -> Result<Document> {
    let bad = |message: String| Error::BadRecord {
        path: path.to_path_buf(),
        line: line_no,
        message,
    };
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|source| Error::Json {
        path: path.to_path_buf(),
        line: line_no,
        source,
    })?;
    let obj = value
        .as_object()
        .ok_or_else(|| bad("expected a JSON object".into()))?;
    let id = fields
        .id
        .iter()
        .find_map(|k| obj.get(k))
        .ok_or_else(|| bad(format!("no id field (looked for {})", fields.id.join(", "))))?;
    let id = match id {
        serde_json::Value::String(s) if !s.is_empty() => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(bad("the id must be a non-empty string or a number".into())),
    };
    let text = match obj.get(&fields.text) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(bad(format!(
                "document {id}: field `{}` is not a string",
                fields.text
            )))
        }
        None => return Err(bad(format!("document {id}: no `{}` field", fields.text))),
    };
    let opt = |k: &str| {
        obj.get(k)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
    };
    Ok(Document {
        id,
        text,
        title: opt("title"),
        date: opt("date"),
        url: opt("url"),
        lang: opt("lang"),
        origin: Origin {
            path: path.to_path_buf(),
            line: Some(line_no),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docs(src: &InputSource) -> Vec<Result<Document>> {
        read_documents(src, &FieldNames::default())
            .unwrap()
            .collect()
    }

    #[test]
    fn jsonl_accepts_doc_or_id_and_keeps_optional_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(
            &path,
            "{\"doc\":\"a\",\"text\":\"x\",\"relations\":[]}\n\n{\"id\":7,\"text\":\"y\",\"title\":\"T\",\"url\":\"u\"}\n",
        )
        .unwrap();
        let out = docs(&InputSource::from_arg(path.to_str().unwrap()).unwrap());
        assert_eq!(out.len(), 2);
        let b = out[1].as_ref().unwrap();
        assert_eq!(
            (b.id.as_str(), b.title.as_deref(), b.url.as_deref()),
            ("7", Some("T"), Some("u"))
        );
        assert_eq!(b.origin.line, Some(3));
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line_and_do_not_stop_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"text\":\"x\"}\n{oops\n{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"z\"}\n",
        )
        .unwrap();
        let out = docs(&InputSource::JsonLines(path.clone()));
        assert_eq!(out.len(), 4);
        let e2 = out[1].as_ref().unwrap_err().to_string();
        assert!(e2.contains("in.jsonl:2"), "{e2}");
        let e3 = out[2].as_ref().unwrap_err().to_string();
        assert!(e3.contains("in.jsonl:3") && e3.contains("text"), "{e3}");
        assert_eq!(out[3].as_ref().unwrap().id, "d");
    }

    #[test]
    fn compressed_jsonl_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("in.jsonl.gz");
        let mut enc =
            flate2::write::GzEncoder::new(File::create(&gz).unwrap(), flate2::Compression::fast());
        enc.write_all(b"{\"id\":\"g\",\"text\":\"gz\"}\n").unwrap();
        enc.finish().unwrap();
        let zst = dir.path().join("in.jsonl.zst");
        std::fs::write(
            &zst,
            zstd::encode_all(&b"{\"id\":\"z\",\"text\":\"zst\"}\n"[..], 3).unwrap(),
        )
        .unwrap();
        for (p, id) in [(gz, "g"), (zst, "z")] {
            let out = docs(&InputSource::from_arg(p.to_str().unwrap()).unwrap());
            assert_eq!(out[0].as_ref().unwrap().id, id);
        }
    }

    #[test]
    fn text_directory_is_sorted_and_ids_are_file_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "B").unwrap();
        std::fs::write(dir.path().join("a.txt"), "A").unwrap();
        std::fs::write(dir.path().join("gold.jsonl"), "{}").unwrap();
        let out = docs(&InputSource::from_arg(dir.path().to_str().unwrap()).unwrap());
        let ids: Vec<_> = out.iter().map(|d| d.as_ref().unwrap().id.clone()).collect();
        assert_eq!(ids, ["a.txt", "b.txt"]);
    }

    #[test]
    fn custom_field_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, "{\"key\":\"k\",\"body\":\"text\"}\n").unwrap();
        let fields = FieldNames {
            id: vec!["key".into()],
            text: "body".into(),
        };
        let out: Vec<_> = read_documents(&InputSource::JsonLines(path), &fields)
            .unwrap()
            .collect();
        assert_eq!(out[0].as_ref().unwrap().text, "text");
    }
}
