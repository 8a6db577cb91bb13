//! `alembic.ini` read the way Python's `configparser.ConfigParser` reads it
//! with Alembic's settings: `=` and `:` delimiters, `#`/`;` full-line comments
//! (no inline comments), indented continuation lines, blank lines kept inside
//! multi-line values, lower-cased option names, a `DEFAULT` section, and
//! `BasicInterpolation` (`%(name)s`, `%%`) applied when a value is read.

use std::sync::Arc;

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// Python's `str.isspace()`: Rust's `char::is_whitespace` plus the four ASCII
/// separators (0x1C..0x1F) Python also counts.
pub(crate) fn py_is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(py_is_space)
}

/// One option: its raw (uninterpolated) value and where it was written.
#[derive(Debug, Clone)]
pub struct IniValue {
    pub raw: String,
    /// The option line (and its continuation lines).
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct IniSection {
    pub name: String,
    pub header: Loc,
    options: Vec<(String, IniValue)>,
}

impl IniSection {
    fn find(&self, key: &str) -> Option<&IniValue> {
        self.options.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn find_mut(&mut self, key: &str) -> Option<&mut IniValue> {
        self.options
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn set(&mut self, key: String, value: IniValue) {
        match self.find_mut(&key) {
            Some(slot) => *slot = value,
            None => self.options.push((key, value)),
        }
    }
}

/// A parsed ini file. Parse errors that make Python's `read()` raise are in
/// `errors`; whatever could be read is still available.
#[derive(Debug)]
pub struct IniFile {
    pub file: Arc<SourceFile>,
    /// The `DEFAULT` section, seeded with the parser's defaults (`here`).
    defaults: Vec<(String, IniValue)>,
    sections: Vec<IniSection>,
    pub errors: Vec<Diagnostic>,
}

/// Why reading a value failed (Python's `InterpolationError` family).
#[derive(Debug, Clone, PartialEq)]
pub enum InterpolationError {
    Syntax(String),
    MissingOption { var: String },
    TooDeep,
}

impl std::fmt::Display for InterpolationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InterpolationError::Syntax(m) => f.write_str(m),
            InterpolationError::MissingOption { var } => write!(
                f,
                "bad interpolation: '%({var})s' names no option of this section or [DEFAULT]"
            ),
            InterpolationError::TooDeep => {
                f.write_str("interpolation nested more than 10 levels deep (configparser's limit)")
            }
        }
    }
}

const MAX_INTERPOLATION_DEPTH: usize = 10;
const DEFAULT_SECTION: &str = "DEFAULT";

/// Splits like Python's text-mode reading: `\n`, `\r\n` and `\r` end lines.
/// Yields (byte offset of line start, line text without its terminator).
fn universal_lines(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, &text[start..i]));
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push((start, &text[start..i]));
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push((start, &text[start..]));
    }
    out
}

impl IniFile {
    /// Parses `file` with `defaults` pre-loaded (Alembic passes `here`).
    pub fn parse(file: Arc<SourceFile>, defaults: &[(&str, &str)]) -> IniFile {
        let virtual_loc = Loc::new(&file, Span::new(0, 0));
        let mut ini = IniFile {
            defaults: defaults
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_lowercase(),
                        IniValue {
                            raw: (*v).to_string(),
                            loc: virtual_loc.clone(),
                        },
                    )
                })
                .collect(),
            sections: Vec::new(),
            errors: Vec::new(),
            file,
        };
        ini.read();
        ini
    }

    fn read(&mut self) {
        let file = Arc::clone(&self.file);
        let text = file.text.as_str();
        // Where the current section lives: None before any header,
        // Some(None) for DEFAULT, Some(Some(i)) for sections[i].
        let mut cursect: Option<Option<usize>> = None;
        let mut optname: Option<String> = None;
        // Continuation pieces of each option, joined at the end as Python does.
        let mut pieces: Vec<(Option<usize>, String, Vec<String>, Span)> = Vec::new();
        let mut current_piece: Option<usize> = None;
        let mut indent_level = 0usize;
        let mut seen_sections: Vec<String> = Vec::new();
        let mut seen_options: Vec<(String, String)> = Vec::new();

        for (lineno0, (start, line)) in universal_lines(text).into_iter().enumerate() {
            let lineno = lineno0 + 1;
            let line_span = Span::new(start, start + line.len());
            let stripped = py_strip(line);
            let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
            let value = if is_comment { "" } else { stripped };
            if value.is_empty() {
                // A blank (not comment) line inside a value becomes part of it.
                if !is_comment
                    && cursect.is_some()
                    && optname.is_some()
                    && let Some(p) = current_piece
                {
                    pieces[p].2.push(String::new());
                }
                continue;
            }
            let cur_indent = line.chars().take_while(|c| py_is_space(*c)).count();
            if cursect.is_some() && optname.is_some() && cur_indent > indent_level {
                if let Some(p) = current_piece {
                    pieces[p].2.push(value.to_string());
                    pieces[p].3.end = line_span.end;
                }
                continue;
            }
            indent_level = cur_indent;
            if let Some(header) = section_header(value) {
                if header == DEFAULT_SECTION {
                    cursect = Some(None);
                } else if let Some(i) = self.sections.iter().position(|s| s.name == header) {
                    if seen_sections.iter().any(|s| s == header) {
                        self.errors.push(
                            Diagnostic::error(
                                "config::duplicate-section",
                                format!(
                                    "section '{header}' already exists (line {lineno}); Python's configparser refuses the file"
                                ),
                            )
                            .with_label(Loc::new(&file, line_span), "second definition"),
                        );
                    }
                    cursect = Some(Some(i));
                } else {
                    self.sections.push(IniSection {
                        name: header.to_string(),
                        header: Loc::new(&file, line_span),
                        options: Vec::new(),
                    });
                    seen_sections.push(header.to_string());
                    cursect = Some(Some(self.sections.len() - 1));
                }
                optname = None;
                current_piece = None;
                continue;
            }
            let Some(sect) = cursect else {
                self.errors.push(
                    Diagnostic::error(
                        "config::missing-section-header",
                        format!(
                            "file contains no section headers: line {lineno} comes before any '[section]'"
                        ),
                    )
                    .with_label(Loc::new(&file, line_span), "before any section"),
                );
                // Python stops reading here.
                break;
            };
            match split_option(value) {
                Some((name, val)) => {
                    if name.is_empty() {
                        self.errors.push(parsing_error(&file, line_span, lineno));
                    }
                    let name = name.to_lowercase();
                    let sect_name = match sect {
                        None => DEFAULT_SECTION.to_string(),
                        Some(i) => self.sections[i].name.clone(),
                    };
                    let key = (sect_name.clone(), name.clone());
                    if seen_options.contains(&key) {
                        self.errors.push(
                            Diagnostic::error(
                                "config::duplicate-option",
                                format!(
                                    "option '{name}' in section '{sect_name}' already exists; Python's configparser refuses the file"
                                ),
                            )
                            .with_label(Loc::new(&file, line_span), "second definition"),
                        );
                    } else {
                        seen_options.push(key);
                    }
                    pieces.push((sect, name.clone(), vec![val.to_string()], line_span));
                    current_piece = Some(pieces.len() - 1);
                    // An empty name is falsy in Python: no continuation lines.
                    optname = (!name.is_empty()).then_some(name);
                }
                None => self.errors.push(parsing_error(&file, line_span, lineno)),
            }
        }

        for (sect, name, parts, span) in pieces {
            let mut raw = parts.join("\n");
            raw.truncate(raw.trim_end_matches(py_is_space).len());
            let value = IniValue {
                raw,
                loc: Loc::new(&file, span),
            };
            match sect {
                None => match self.defaults.iter_mut().find(|(k, _)| *k == name) {
                    Some(slot) => slot.1 = value,
                    None => self.defaults.push((name, value)),
                },
                Some(i) => self.sections[i].set(name, value),
            }
        }
    }

    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|s| s.name == name)
    }

    pub fn has_section(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    /// The raw value of `option` in `section`, falling back to `DEFAULT`
    /// (configparser's `has_option` counts defaults too).
    pub fn raw(&self, section: &str, option: &str) -> Option<&IniValue> {
        let option = option.to_lowercase();
        let sect = self.section(section);
        if sect.is_none() && section != DEFAULT_SECTION {
            return None;
        }
        sect.and_then(|s| s.find(&option)).or_else(|| {
            self.defaults
                .iter()
                .find(|(k, _)| *k == option)
                .map(|(_, v)| v)
        })
    }

    /// `ConfigParser.get(section, option)`: the interpolated value, or `None`
    /// when the section or option does not exist.
    pub fn get(
        &self,
        section: &str,
        option: &str,
    ) -> Option<(Result<String, InterpolationError>, &IniValue)> {
        let value = self.raw(section, option)?;
        let mut out = String::new();
        let result = self
            .interpolate(section, &value.raw, 1, &mut out)
            .map(|()| out);
        Some((result, value))
    }

    fn lookup(&self, section: &str, key: &str) -> Option<&str> {
        self.section(section)
            .and_then(|s| s.find(key))
            .or_else(|| self.defaults.iter().find(|(k, _)| k == key).map(|(_, v)| v))
            .map(|v| v.raw.as_str())
    }

    fn interpolate(
        &self,
        section: &str,
        mut rest: &str,
        depth: usize,
        out: &mut String,
    ) -> Result<(), InterpolationError> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(InterpolationError::TooDeep);
        }
        while !rest.is_empty() {
            let Some(p) = rest.find('%') else {
                out.push_str(rest);
                return Ok(());
            };
            out.push_str(&rest[..p]);
            rest = &rest[p..];
            let next = rest[1..].chars().next();
            match next {
                Some('%') => {
                    out.push('%');
                    rest = &rest[2..];
                }
                Some('(') => {
                    // `%\(([^)]+)\)s`
                    let close = rest[2..].find(')').map(|i| i + 2);
                    let Some(close) = close.filter(|c| *c > 2 && rest[c + 1..].starts_with('s'))
                    else {
                        return Err(InterpolationError::Syntax(format!(
                            "bad interpolation variable reference '{rest}'"
                        )));
                    };
                    let var = rest[2..close].to_lowercase();
                    rest = &rest[close + 2..];
                    let Some(v) = self.lookup(section, &var) else {
                        return Err(InterpolationError::MissingOption { var });
                    };
                    if v.contains('%') {
                        self.interpolate(section, v, depth + 1, out)?;
                    } else {
                        out.push_str(v);
                    }
                }
                _ => {
                    return Err(InterpolationError::Syntax(format!(
                        "'%' must be followed by '%' or '(', found: '{rest}'"
                    )));
                }
            }
        }
        Ok(())
    }
}

fn parsing_error(file: &Arc<SourceFile>, span: Span, lineno: usize) -> Diagnostic {
    Diagnostic::error(
        "config::parse",
        format!("line {lineno} is neither a '[section]' header nor a 'key = value' option"),
    )
    .with_label(
        Loc::new(file, span),
        "not understood by Python's configparser",
    )
}

/// `\[(?P<header>.+)\]` matched at the start: the header runs to the last `]`.
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the option ends at the
/// first delimiter.
fn split_option(value: &str) -> Option<(&str, &str)> {
    let idx = value.find(['=', ':'])?;
    let name = value[..idx].trim_end_matches(py_is_space);
    let val = py_strip(&value[idx + 1..]);
    Some((name, val))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> IniFile {
        IniFile::parse(
            SourceFile::virtual_file("alembic.ini", text),
            &[("here", "/proj")],
        )
    }

    fn get(i: &IniFile, s: &str, o: &str) -> Option<String> {
        i.get(s, o).map(|(r, _)| r.expect("interpolates"))
    }

    #[test]
    fn here_and_percent_escape() {
        let i = ini(
            "[alembic]\nscript_location = %(here)s/alembic\nfile_template = %%(rev)s_%%(slug)s\n",
        );
        assert_eq!(
            get(&i, "alembic", "script_location").as_deref(),
            Some("/proj/alembic")
        );
        assert_eq!(
            get(&i, "alembic", "file_template").as_deref(),
            Some("%(rev)s_%(slug)s")
        );
        assert!(i.errors.is_empty());
    }

    #[test]
    fn continuation_lines_and_blank_lines_inside_values() {
        let i = ini("[alembic]\nversion_locations =\n    a\n\n    b\n# comment\n  c\nnext = 1\n");
        assert_eq!(
            get(&i, "alembic", "version_locations").as_deref(),
            Some("\na\n\nb\nc")
        );
        assert_eq!(get(&i, "alembic", "next").as_deref(), Some("1"));
    }

    #[test]
    fn trailing_blank_lines_are_stripped_and_comments_do_not_add_lines() {
        let i = ini("[a]\nx = 1\n\n\n[b]\ny = 2\n");
        assert_eq!(get(&i, "a", "x").as_deref(), Some("1"));
        assert_eq!(get(&i, "b", "y").as_deref(), Some("2"));
    }

    #[test]
    fn no_inline_comments_and_colon_delimiter() {
        let i = ini("[alembic]\nScript_Location: migrations # not a comment\nurl = a=b\n");
        assert_eq!(
            get(&i, "alembic", "script_location").as_deref(),
            Some("migrations # not a comment")
        );
        assert_eq!(get(&i, "alembic", "url").as_deref(), Some("a=b"));
    }

    #[test]
    fn defaults_section_and_cross_references() {
        let i = ini("[DEFAULT]\nbase = %(here)s/db\n[alembic]\nscript_location = %(base)s/mig\n");
        assert_eq!(
            get(&i, "alembic", "script_location").as_deref(),
            Some("/proj/db/mig")
        );
        // DEFAULT values count as options of every section.
        assert_eq!(get(&i, "alembic", "base").as_deref(), Some("/proj/db"));
        assert!(i.get("nosuch", "base").is_none());
    }

    #[test]
    fn interpolation_errors() {
        let i = ini("[a]\nx = 50%\ny = %(nope)s\nz = %(z)s\n");
        assert!(matches!(
            i.get("a", "x").map(|r| r.0),
            Some(Err(InterpolationError::Syntax(_)))
        ));
        assert_eq!(
            i.get("a", "y").map(|r| r.0),
            Some(Err(InterpolationError::MissingOption {
                var: "nope".into()
            }))
        );
        assert_eq!(
            i.get("a", "z").map(|r| r.0),
            Some(Err(InterpolationError::TooDeep))
        );
    }

    #[test]
    fn parse_errors_are_reported_with_lines() {
        let i = ini("x = 1\n");
        assert_eq!(i.errors[0].code, "config::missing-section-header");
        let i = ini("[a]\njunk line\nx = 1\nx = 2\n[a]\n");
        let codes: Vec<&str> = i.errors.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "config::parse",
                "config::duplicate-option",
                "config::duplicate-section"
            ]
        );
        assert!(i.errors[0].to_string().starts_with("alembic.ini:2:1"));
    }

    #[test]
    fn crlf_and_header_with_trailing_text() {
        let i = ini("[alembic] ; trailing\r\nscript_location = m\r\n");
        assert_eq!(get(&i, "alembic", "script_location").as_deref(), Some("m"));
    }
}
