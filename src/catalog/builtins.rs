//! What PostgreSQL knows before the first statement: keywords, built-in
//! types, casts, functions, operator classes, access methods and the objects
//! each extension brings. Generated from a real server by
//! `scripts/gen-builtins.sh` (plus hand-written entries for extensions
//! contrib does not ship) and embedded in the binary.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub struct Builtins {
    keywords: HashMap<&'static str, char>,
    pub types: HashMap<&'static str, BuiltinType>,
    casts: HashMap<(&'static str, &'static str), CastContext>,
    /// How each cast is done: `f` by a function (with its volatility),
    /// `b` binary, `i` through the types' I/O functions.
    cast_methods: HashMap<(&'static str, &'static str), (char, char)>,
    /// Casts that need no function (`castmethod = 'b'`): binary coercible.
    binary_casts: HashSet<(&'static str, &'static str)>,
    functions: HashMap<&'static str, Vec<FunctionInfo>>,
    /// Operators of pg_catalog by name, prefix and infix together.
    operators: HashMap<&'static str, Vec<OperatorInfo>>,
    pub opclasses: Vec<OpClass>,
    access_methods: HashSet<&'static str>,
    ts_configs: HashSet<&'static str>,
    pub extensions: HashMap<&'static str, ExtensionDef>,
    /// Time zone abbreviations (lower case), `true` for daylight-saving ones.
    timezone_abbrevs: HashMap<&'static str, bool>,
    /// Time zone names (lower case).
    timezone_names: HashSet<&'static str>,
    /// Zones whose offset never changed.
    fixed_zones: HashSet<&'static str>,
    /// Collations of a fresh UTF8 database, with their provider.
    collations: HashMap<&'static str, char>,
    /// Locales glibc can generate (codeset stripped): collations a server
    /// may have, depending on what its administrator generated.
    libc_locales: HashSet<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub struct BuiltinType {
    pub name: &'static str,
    /// `typcategory`: N numeric, S string, D datetime, B boolean, U user...
    pub category: char,
    pub preferred: bool,
    /// `typtype`: b base, p pseudo, r range, m multirange, d domain.
    pub kind: char,
    pub has_array: bool,
    /// Volatility of the input and output functions (`i`, `s`, `v`): an
    /// I/O conversion cast from this type runs the output function, one to
    /// it the input function (`timestamptz_out` is stable).
    pub input_volatility: char,
    pub output_volatility: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CastContext {
    Explicit,
    Assignment,
    Implicit,
}

/// One overload of a built-in function.
#[derive(Debug, Clone)]
pub struct FunctionInfo {
    pub nargs: u16,
    /// `i`, `s` or `v`.
    pub volatility: &'static str,
    /// `f` function, `p` procedure, `a` aggregate, `w` window.
    pub kind: char,
    pub variadic: bool,
    /// Result type's `typname` (`setof ` prefixed for set-returning ones).
    pub returns: &'static str,
    /// Argument types' `typname`s.
    pub args: Vec<&'static str>,
    /// The same, read once for resolving calls by argument types.
    pub sig: Vec<SigType>,
    /// How many trailing arguments have defaults (`pronargdefaults`).
    pub defaults: u16,
}

/// A built-in type as a function argument or operator operand: a `typname`
/// (`int4`, `anyelement`), or an array of one (`_int4` in `pg_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigType {
    pub name: &'static str,
    pub array: bool,
}

impl SigType {
    /// Reads a `typname`: `_int4` is the array of `int4`.
    pub fn parse(typname: &'static str) -> SigType {
        match typname.strip_prefix('_') {
            Some(elem) => SigType {
                name: elem,
                array: true,
            },
            None => SigType {
                name: typname,
                array: false,
            },
        }
    }
}

/// One built-in operator.
#[derive(Debug, Clone)]
pub struct OperatorInfo {
    /// A prefix operator (`oprkind = 'l'`): no left operand.
    pub prefix: bool,
    /// Operand types: left and right, or the right one alone for a prefix
    /// operator (as `oper_select_candidate` sees them).
    pub args: Vec<SigType>,
    /// Result type's `typname`.
    pub result: &'static str,
}

#[derive(Debug, Clone)]
pub struct OpClass {
    pub access_method: &'static str,
    pub name: &'static str,
    pub input_type: &'static str,
    pub is_default: bool,
    /// `None` for built-in operator classes.
    pub extension: Option<&'static str>,
}

#[derive(Debug, Default, Clone)]
pub struct ExtensionDef {
    pub name: &'static str,
    pub version: &'static str,
    pub requires: Vec<&'static str>,
    /// `(name, typtype)`; `typtype` is `b` for base types, `d` domains...
    pub types: Vec<&'static str>,
    pub functions: Vec<(&'static str, u16, char)>,
    pub function_prefixes: Vec<&'static str>,
    pub access_methods: Vec<&'static str>,
    pub relations: Vec<(&'static str, char)>,
    pub ts_dictionaries: Vec<&'static str>,
    /// Names of the operators the extension creates.
    pub operators: Vec<&'static str>,
    /// Whether `operators` is the full list: true for the generated
    /// members, false for extensions described by hand.
    pub operators_listed: bool,
}

pub static BUILTINS: LazyLock<Builtins> = LazyLock::new(Builtins::load);

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// The rows of a file without comments: operator names may start with `#`.
fn data_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').collect())
}

fn col(row: &[&'static str], i: usize) -> &'static str {
    row.get(i).copied().unwrap_or("")
}

impl Builtins {
    fn load() -> Builtins {
        let keywords = rows(include_str!("builtins/keywords.tsv"))
            .map(|r| (col(&r, 0), col(&r, 1).chars().next().unwrap_or('U')))
            .collect();
        let types = rows(include_str!("builtins/types.tsv"))
            .map(|r| {
                let t = BuiltinType {
                    name: col(&r, 0),
                    category: col(&r, 1).chars().next().unwrap_or('U'),
                    preferred: col(&r, 2) == "t",
                    kind: col(&r, 3).chars().next().unwrap_or('b'),
                    has_array: col(&r, 4) == "t",
                    input_volatility: col(&r, 5).chars().next().unwrap_or('i'),
                    output_volatility: col(&r, 6).chars().next().unwrap_or('i'),
                };
                (t.name, t)
            })
            .collect();
        let casts = rows(include_str!("builtins/casts.tsv"))
            .map(|r| {
                let ctx = match col(&r, 2) {
                    "i" => CastContext::Implicit,
                    "a" => CastContext::Assignment,
                    _ => CastContext::Explicit,
                };
                ((col(&r, 0), col(&r, 1)), ctx)
            })
            .collect();
        let cast_methods = rows(include_str!("builtins/casts.tsv"))
            .map(|r| {
                let method = col(&r, 3).chars().next().unwrap_or('f');
                let volatility = col(&r, 4).chars().next().unwrap_or('i');
                ((col(&r, 0), col(&r, 1)), (method, volatility))
            })
            .collect();
        let binary_casts = rows(include_str!("builtins/casts.tsv"))
            .filter(|r| col(r, 3) == "b")
            .map(|r| (col(&r, 0), col(&r, 1)))
            .collect();
        let mut functions: HashMap<&'static str, Vec<FunctionInfo>> = HashMap::new();
        for r in rows(include_str!("builtins/functions.tsv")) {
            functions.entry(col(&r, 0)).or_default().push(FunctionInfo {
                nargs: col(&r, 1).parse().unwrap_or(0),
                volatility: col(&r, 2),
                kind: col(&r, 3).chars().next().unwrap_or('f'),
                variadic: col(&r, 4) == "t",
                returns: col(&r, 5),
                args: col(&r, 6).split(',').filter(|a| !a.is_empty()).collect(),
                sig: col(&r, 6)
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(SigType::parse)
                    .collect(),
                defaults: col(&r, 7).parse().unwrap_or(0),
            });
        }
        let mut operators: HashMap<&'static str, Vec<OperatorInfo>> = HashMap::new();
        for r in data_rows(include_str!("builtins/operators.tsv")) {
            let left = col(&r, 2);
            let right = SigType::parse(col(&r, 3));
            let args = if left.is_empty() {
                vec![right]
            } else {
                vec![SigType::parse(left), right]
            };
            operators.entry(col(&r, 0)).or_default().push(OperatorInfo {
                prefix: col(&r, 1) == "l",
                args,
                result: col(&r, 4),
            });
        }
        let mut opclasses: Vec<OpClass> = rows(include_str!("builtins/opclasses.tsv"))
            .map(|r| OpClass {
                access_method: col(&r, 0),
                name: col(&r, 1),
                input_type: col(&r, 2),
                is_default: col(&r, 3) == "t",
                extension: None,
            })
            .collect();
        let access_methods = rows(include_str!("builtins/access_methods.tsv"))
            .filter(|r| col(r, 1) == "i")
            .map(|r| col(&r, 0))
            .collect();
        let ts_configs = rows(include_str!("builtins/ts_configs.tsv"))
            .map(|r| col(&r, 0))
            .collect();
        let mut extensions: HashMap<&'static str, ExtensionDef> = HashMap::new();
        let generated = rows(include_str!("builtins/extensions.tsv")).map(|r| (true, r));
        let by_hand = rows(include_str!("builtins/extensions_extra.tsv")).map(|r| (false, r));
        for (listed, r) in generated.chain(by_hand) {
            let name = col(&r, 0);
            let ext = extensions.entry(name).or_insert_with(|| ExtensionDef {
                name,
                operators_listed: listed,
                ..Default::default()
            });
            let (kind, obj, detail) = (col(&r, 1), col(&r, 2), col(&r, 3));
            match kind {
                "version" => ext.version = obj,
                "requires" => ext.requires.push(obj),
                "type" | "domain" | "enum" | "composite" => ext.types.push(obj),
                "function" => {
                    let (nargs, vol) = detail.split_once(':').unwrap_or(("0", "v"));
                    ext.functions.push((
                        obj,
                        nargs.parse().unwrap_or(0),
                        vol.chars().next().unwrap_or('v'),
                    ));
                }
                "function_prefix" => ext.function_prefixes.push(obj),
                "access_method" => ext.access_methods.push(obj),
                "relation" => ext
                    .relations
                    .push((obj, detail.chars().next().unwrap_or('r'))),
                "ts_dictionary" => ext.ts_dictionaries.push(obj),
                "operator" => ext.operators.push(obj),
                "opclass" => {
                    let (am, opc) = obj.split_once(':').unwrap_or(("btree", obj));
                    let (intype, default) = detail.split_once(':').unwrap_or((detail, "false"));
                    opclasses.push(OpClass {
                        access_method: am,
                        name: opc,
                        input_type: intype,
                        is_default: default == "true",
                        extension: Some(name),
                    });
                }
                _ => {}
            }
        }
        let mut timezone_abbrevs = HashMap::new();
        let mut timezone_names = HashSet::new();
        let mut fixed_zones = HashSet::new();
        for r in rows(include_str!("builtins/timezones.tsv")) {
            match col(&r, 0) {
                "abbrev" => {
                    timezone_abbrevs.insert(col(&r, 1), col(&r, 2) == "D");
                }
                _ => {
                    timezone_names.insert(col(&r, 1));
                    if col(&r, 2) == "F" {
                        fixed_zones.insert(col(&r, 1));
                    }
                }
            }
        }
        let mut collations = HashMap::new();
        let mut libc_locales = HashSet::new();
        for r in rows(include_str!("builtins/collations.tsv")) {
            match col(&r, 0) {
                "builtin" => {
                    collations.insert(col(&r, 1), col(&r, 2).chars().next().unwrap_or('c'));
                }
                _ => {
                    libc_locales.insert(col(&r, 1));
                }
            }
        }
        Builtins {
            timezone_abbrevs,
            timezone_names,
            fixed_zones,
            collations,
            libc_locales,
            keywords,
            types,
            casts,
            cast_methods,
            binary_casts,
            functions,
            operators,
            opclasses,
            access_methods,
            ts_configs,
            extensions,
        }
    }

    /// PostgreSQL's `quote_identifier` rule: quote unless the name is a plain
    /// lower-case identifier that is not a (non-unreserved) keyword.
    pub fn needs_quotes(&self, ident: &str) -> bool {
        let mut chars = ident.chars();
        let plain = match chars.next() {
            Some(c) if c.is_ascii_lowercase() || c == '_' => {
                chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
            }
            _ => false,
        };
        if !plain {
            return true;
        }
        matches!(self.keywords.get(ident), Some(c) if *c != 'U')
    }

    pub fn is_keyword(&self, word: &str) -> bool {
        self.keywords.contains_key(word)
    }

    /// PostgreSQL's `IsBinaryCoercible` for two built-in types.
    pub fn binary_coercible(&self, from: &str, to: &str) -> bool {
        from == to || self.binary_casts.contains(&(from, to))
    }

    pub fn cast(&self, from: &str, to: &str) -> Option<CastContext> {
        self.casts.get(&(from, to)).copied()
    }

    /// Volatility of casting between two built-in types as PostgreSQL
    /// would do it: the cast function's, or for I/O conversion (a
    /// `pg_cast` row with method `i`, or no row and a string type on
    /// either side) the worse of the source's output and the target's
    /// input function. `None` when there is no such cast.
    pub fn cast_volatility(&self, from: &str, to: &str) -> Option<char> {
        if from == to {
            return Some('i');
        }
        let io = || {
            let out = self.types.get(from)?.output_volatility;
            let inp = self.types.get(to)?.input_volatility;
            Some(worse_volatility(out, inp))
        };
        match self.cast_methods.get(&(from, to)) {
            Some(('f', v)) => Some(*v),
            Some(('b', _)) => Some('i'),
            Some(_) => io(),
            None => {
                let string = |t: &str| self.types.get(t).is_some_and(|t| t.category == 'S');
                if string(from) || string(to) {
                    io()
                } else {
                    None
                }
            }
        }
    }

    pub fn functions(&self, name: &str) -> Option<&[FunctionInfo]> {
        self.functions.get(name).map(Vec::as_slice)
    }

    /// The operators of pg_catalog with this name.
    pub fn operators(&self, name: &str) -> &[OperatorInfo] {
        self.operators.get(name).map_or(&[], Vec::as_slice)
    }

    /// `typcategory` and `typispreferred` of a built-in type or array of
    /// one, as `get_type_category_preferred` gives them.
    pub fn category_preferred(&self, t: SigType) -> (char, bool) {
        if t.array {
            return ('A', false);
        }
        self.types
            .get(t.name)
            .map_or(('U', false), |b| (b.category, b.preferred))
    }

    pub fn is_access_method(&self, name: &str) -> bool {
        self.access_methods.contains(name)
    }

    pub fn is_ts_config(&self, name: &str) -> bool {
        self.ts_configs.contains(name)
    }

    /// The text search configurations of a fresh database (all in pg_catalog).
    pub fn ts_config_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.ts_configs.iter().copied()
    }

    pub fn builtin_type(&self, name: &str) -> Option<&BuiltinType> {
        self.types.get(name)
    }

    /// Is a (lower-case) word a time zone abbreviation; `Some(true)` for a
    /// daylight-saving one.
    pub fn timezone_abbrev(&self, word: &str) -> Option<bool> {
        self.timezone_abbrevs.get(word).copied()
    }

    /// Is a (lower-case) name a time zone of the tz database?
    pub fn is_timezone_name(&self, name: &str) -> bool {
        self.timezone_names.contains(name)
    }

    /// Does a (lower-case) zone keep one offset forever? Names outside the
    /// tz database (POSIX specifications such as `UTC+3`) do.
    pub fn is_fixed_offset_zone(&self, name: &str) -> bool {
        self.fixed_zones.contains(name) || !self.timezone_names.contains(name)
    }

    /// The provider (`c` libc, `i` ICU, `d` default) of a collation every
    /// UTF8 database has.
    pub fn collation(&self, name: &str) -> Option<char> {
        self.collations.get(name).copied()
    }

    /// Is `name` (with any `.codeset` part) a locale glibc can generate?
    pub fn is_libc_locale(&self, name: &str) -> bool {
        let base = match name.split_once('.') {
            Some((lang, rest)) => match rest.split_once('@') {
                Some((_, modifier)) => format!("{lang}@{modifier}"),
                None => lang.to_string(),
            },
            None => name.to_string(),
        };
        self.libc_locales.contains(base.as_str())
    }

    /// The `&'static str` of a built-in type name, if it is one.
    pub fn static_type_name(&self, name: &str) -> Option<&'static str> {
        self.types.get(name).map(|t| t.name)
    }
}

/// The less immutable of two volatilities (`v` over `s` over `i`).
pub fn worse_volatility(a: char, b: char) -> char {
    let rank = |c: char| match c {
        'v' => 2,
        's' => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_are_as_volatile_as_the_functions_they_run() {
        let b = &*BUILTINS;
        // date(timestamptz) depends on TimeZone; date(timestamp) does not.
        assert_eq!(b.cast_volatility("timestamptz", "date"), Some('s'));
        assert_eq!(b.cast_volatility("timestamp", "date"), Some('i'));
        assert_eq!(b.cast_volatility("int4", "int8"), Some('i'));
        // Binary and I/O casts: text to timestamptz runs timestamptz_in.
        assert_eq!(b.cast_volatility("varchar", "text"), Some('i'));
        assert_eq!(b.cast_volatility("text", "timestamptz"), Some('s'));
        assert_eq!(b.cast_volatility("text", "int4"), Some('i'));
        assert_eq!(b.cast_volatility("timestamptz", "text"), Some('s'));
        assert_eq!(b.cast_volatility("int4", "text"), Some('i'));
        assert_eq!(b.cast_volatility("bool", "timestamptz"), None);
        assert_eq!(worse_volatility('i', 's'), 's');
        assert_eq!(worse_volatility('v', 's'), 'v');
    }

    #[test]
    fn loads_generated_tables() {
        let b = &*BUILTINS;
        assert!(b.needs_quotes("user"));
        assert!(b.needs_quotes("Order"));
        assert!(!b.needs_quotes("users"));
        assert!(!b.needs_quotes("name"), "unreserved keywords stay bare");
        assert_eq!(b.cast("int4", "int8"), Some(CastContext::Implicit));
        assert_eq!(b.cast("int8", "int4"), Some(CastContext::Assignment));
        assert!(b.functions("now").is_some());
        assert!(b.operators("#>>").iter().any(|o| !o.prefix));
        assert!(b.operators("-").iter().any(|o| o.prefix));
        assert!(b.functions("uuid_generate_v4").is_none());
        let ossp = &b.extensions["uuid-ossp"];
        assert!(ossp.functions.iter().any(|f| f.0 == "uuid_generate_v4"));
        assert!(b.extensions["earthdistance"].requires.contains(&"cube"));
        assert!(
            b.opclasses
                .iter()
                .any(|o| o.name == "gin_trgm_ops" && o.extension == Some("pg_trgm"))
        );
        assert!(b.extensions["vector"].types.contains(&"vector"));
        assert_eq!(b.timezone_abbrev("pdt"), Some(true));
        assert_eq!(b.timezone_abbrev("utc"), Some(false));
        assert!(b.is_timezone_name("america/new_york"));
        assert_eq!(b.collation("C"), Some('c'));
        assert_eq!(b.collation("und-x-icu"), Some('i'));
        assert!(b.is_libc_locale("en_US.utf8"));
        assert!(b.is_libc_locale("de_DE@euro"));
        assert!(!b.is_libc_locale("xx_YY"));
    }
}
