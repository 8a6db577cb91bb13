//! Which built-in function or operator a call reaches, from the types of
//! its arguments, as PostgreSQL's parser chooses: `func_get_detail` and
//! `func_select_candidate` (parse_func.c), `oper` and
//! `oper_select_candidate` (parse_oper.c), `can_coerce_type` and
//! `check_generic_type_consistency` (parse_coerce.c).
//!
//! Built-in types take part, and user types PostgreSQL's rules say enough
//! about: an enum reaches only itself and the polymorphic parameters, and
//! a domain over a built-in type or an enum is its base type where the
//! parser flattens domains (`getBaseType`). An argument of any other type
//! (a composite or extension type, an array of a user type) or of a type
//! migsim cannot tell is [`Ty::Opaque`], and a call with such an argument
//! is not judged: refusing what PostgreSQL accepts is worse than missing
//! an error. Where PostgreSQL would find the call ambiguous, no error is
//! raised either.

use pg_query::NodeEnum;
use pg_query::protobuf::{AConst, AExpr, AExprKind, FuncCall, MinMaxOp, Node, TypeName};

use super::Catalog;
use super::builtins::{BUILTINS, CastContext, FunctionInfo, OperatorInfo, SigType};
use super::error::{PgError, PgResult, code};
use super::expr;
use super::model::{Oid, TypeKind};
use super::names::{QualName, qual_from_list, str_of};
use super::types::{ColType, TypeRef};

/// The type of an argument, as far as resolution is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// An untyped literal (a quoted string or NULL): `unknown`.
    Unknown,
    /// A type resolution can reason about.
    Known(Actual),
    /// Anything else: calls with it are not judged.
    Opaque,
}

/// A known argument type, as the parser compares it with parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actual {
    /// A built-in type, or an array of one.
    Builtin(SigType),
    /// A user enum: no implicit cast leaves it, so it reaches only itself
    /// and the polymorphic parameters.
    Enum(Oid),
    /// A domain over a built-in type (through any number of domains),
    /// with that base type. The domain itself counts for exact matches,
    /// `anyelement` consistency, messages, and a list of the same domain.
    Domain(Oid, SigType),
    /// A domain over an enum (through any number of domains), with the
    /// enum. It is no enum for `anyenum` (`type_is_enum` of the domain), so
    /// even `=` with a label does not exist for it.
    EnumDomain(Oid, Oid),
}

impl Actual {
    /// `getBaseType`.
    fn base(self) -> Actual {
        match self {
            Actual::Domain(_, b) => Actual::Builtin(b),
            Actual::EnumDomain(_, e) => Actual::Enum(e),
            other => other,
        }
    }

    /// The built-in type under a domain, or the type itself.
    fn builtin(self) -> Option<SigType> {
        match self.base() {
            Actual::Builtin(s) => Some(s),
            _ => None,
        }
    }

    fn is(self, t: SigType) -> bool {
        self == Actual::Builtin(t)
    }

    /// `typcategory` and `typispreferred`; arrays are 'A', enums 'E'.
    fn category_preferred(self) -> (char, bool) {
        match self.base() {
            Actual::Builtin(s) => BUILTINS.category_preferred(s),
            _ => ('E', false),
        }
    }
}

impl Ty {
    pub fn builtin(name: &'static str) -> Ty {
        Ty::Known(Actual::Builtin(SigType { name, array: false }))
    }

    /// A built-in `typname` as a result type: base, range and multirange
    /// types and arrays of them; pseudo-types and sets are opaque.
    pub fn from_typname(typname: &'static str) -> Ty {
        if typname.starts_with("setof ") {
            return Ty::Opaque;
        }
        let t = SigType::parse(typname);
        match BUILTINS.builtin_type(t.name) {
            Some(b) if matches!(b.kind, 'b' | 'r' | 'm') => Ty::Known(Actual::Builtin(t)),
            _ => Ty::Opaque,
        }
    }
}

/// The outcome of choosing among candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// No candidate accepts the arguments: "does not exist".
    None,
    /// The candidate chosen, as an index into the candidates.
    One(usize),
    /// More than one remains; PostgreSQL calls that ambiguous.
    Many,
}

/// One candidate signature: a function's arguments (with a variadic
/// parameter spread over the trailing arguments) or an operator's operands.
#[derive(Debug, Clone, Copy)]
pub struct Cand<'a> {
    sig: &'a [SigType],
    /// The element type standing for each argument from `fixed` on.
    variadic: Option<SigType>,
    fixed: usize,
    pub returns: &'static str,
}

impl Cand<'_> {
    fn arg(&self, i: usize) -> SigType {
        match self.variadic {
            Some(elem) if i >= self.fixed => elem,
            _ => self.sig.get(i).copied().unwrap_or(ANY),
        }
    }
}

const ANY: SigType = SigType {
    name: "any",
    array: false,
};

/// The candidates `FuncnameGetCandidates` lists for a call with `nargs`
/// positional arguments: same count, fewer with defaults filling the rest,
/// or more spread over a variadic parameter.
pub fn function_candidates(fs: &[FunctionInfo], nargs: usize) -> Vec<Cand<'_>> {
    let mut out = Vec::new();
    for f in fs {
        let pronargs = f.nargs as usize;
        let variadic = f.variadic && pronargs >= 1 && pronargs <= nargs;
        let use_defaults = pronargs > nargs && nargs + f.defaults as usize >= pronargs;
        if pronargs != nargs && !variadic && !use_defaults {
            continue;
        }
        let elem = if variadic {
            let Some(last) = f.sig.last() else { continue };
            Some(variadic_element(*last))
        } else {
            None
        };
        out.push(Cand {
            sig: &f.sig,
            variadic: elem,
            fixed: pronargs.saturating_sub(1),
            returns: f.returns,
        });
    }
    out
}

/// `provariadic`: the element type of a variadic parameter's array.
fn variadic_element(param: SigType) -> SigType {
    if param.array {
        return SigType {
            name: param.name,
            array: false,
        };
    }
    let name = match param.name {
        "anyarray" => "anyelement",
        "anycompatiblearray" => "anycompatible",
        other => other,
    };
    SigType { name, array: false }
}

/// The operators of a name that take `nargs` operands (2 infix, 1 prefix).
pub fn operator_candidates(ops: &[OperatorInfo], prefix: bool) -> Vec<Cand<'_>> {
    ops.iter()
        .filter(|o| o.prefix == prefix)
        .map(|o| Cand {
            sig: &o.args,
            variadic: None,
            fixed: o.args.len(),
            returns: o.result,
        })
        .collect()
}

/// `func_get_detail` for built-in candidates, arguments all known or
/// unknown literals. `type_name_call` is set when the function's name is
/// also a type's and there is one argument: PostgreSQL may then read the
/// call as a cast, which is left unjudged (as `Many`).
pub fn select_function(args: &[Option<Actual>], cands: &[Cand], type_name_call: bool) -> Pick {
    if let Some(i) = cands.iter().position(|c| exact(args, c)) {
        return Pick::One(i);
    }
    if type_name_call {
        return Pick::Many;
    }
    match_and_select(args, cands)
}

/// `oper`: an exact match first (an unknown operand of a binary operator
/// taken as the other's type, then as its base type if a domain), then
/// `oper_select_candidate`.
pub fn select_operator(args: &[Option<Actual>], cands: &[Cand]) -> Pick {
    let (probe, was_unknown): (Vec<Option<Actual>>, bool) = match args {
        [None, Some(r)] => (vec![Some(*r), Some(*r)], true),
        [Some(l), None] => (vec![Some(*l), Some(*l)], true),
        _ => (args.to_vec(), false),
    };
    if let Some(i) = cands.iter().position(|c| exact(&probe, c)) {
        return Pick::One(i);
    }
    if was_unknown
        && let Some(t) = probe[0]
        && t.base() != t
    {
        let base = vec![Some(t.base()); 2];
        if let Some(i) = cands.iter().position(|c| exact(&base, c)) {
            return Pick::One(i);
        }
    }
    match_and_select(args, cands)
}

fn exact(args: &[Option<Actual>], c: &Cand) -> bool {
    args.iter()
        .enumerate()
        .all(|(i, a)| a.is_some_and(|a| a.is(c.arg(i))))
}

/// `func_match_argtypes`, then `func_select_candidate` when several remain.
fn match_and_select(args: &[Option<Actual>], cands: &[Cand]) -> Pick {
    let survivors: Vec<usize> = (0..cands.len())
        .filter(|&i| can_coerce_args(args, &cands[i]))
        .collect();
    match survivors.as_slice() {
        [] => Pick::None,
        [one] => Pick::One(*one),
        _ => select_candidate(args, cands, &survivors).map_or(Pick::Many, Pick::One),
    }
}

fn is_polymorphic(t: SigType) -> bool {
    !t.array
        && matches!(
            t.name,
            "anyelement"
                | "anyarray"
                | "anynonarray"
                | "anyenum"
                | "anyrange"
                | "anymultirange"
                | "anycompatible"
                | "anycompatiblearray"
                | "anycompatiblenonarray"
                | "anycompatiblerange"
                | "anycompatiblemultirange"
        )
}

/// `can_coerce_type` in the implicit context, for a whole argument list.
fn can_coerce_args(args: &[Option<Actual>], c: &Cand) -> bool {
    let mut generic = false;
    for (i, a) in args.iter().enumerate() {
        let target = c.arg(i);
        if target == ANY {
            continue;
        }
        if is_polymorphic(target) {
            generic = true;
            continue;
        }
        match a {
            None => continue,
            Some(from) if can_coerce_to(*from, target) => continue,
            Some(_) => return false,
        }
    }
    !generic || generic_consistent(args, c)
}

/// `find_coercion_pathway` from any known type to a built-in one: a domain
/// goes through its base type; an enum has no implicit cast.
fn can_coerce_to(from: Actual, to: SigType) -> bool {
    from.builtin().is_some_and(|f| can_coerce(f, to))
}

/// `can_coerce_type` between two known types (for common types): a
/// domain and its base type always coerce.
fn can_coerce_actual(from: Actual, to: Actual) -> bool {
    if from.base() == to.base() {
        return true;
    }
    match to.base() {
        Actual::Builtin(t) => can_coerce_to(from, t),
        _ => false,
    }
}

/// `find_coercion_pathway` in the implicit context between built-in
/// types: a `pg_cast` row marked implicit, or arrays whose elements
/// coerce. (I/O conversion is never implicit.)
pub fn can_coerce(from: SigType, to: SigType) -> bool {
    if from == to {
        return true;
    }
    if !from.array && !to.array {
        return BUILTINS.cast(from.name, to.name) == Some(CastContext::Implicit);
    }
    if from.array && to.array {
        return can_coerce(element(from), element(to));
    }
    false
}

fn element(t: SigType) -> SigType {
    SigType {
        name: t.name,
        array: false,
    }
}

/// `check_generic_type_consistency`: the polymorphic parameters must agree
/// on one element type (`anyelement` family) and have a common type
/// (`anycompatible` family). Arguments for `anyelement` are compared as
/// given (a domain is not its base type there); those for arrays and
/// ranges are flattened first. Range parameters are taken as consistent
/// whenever given a range: migsim does not know ranges' subtypes, and a
/// candidate kept too many is the safe side.
fn generic_consistent(args: &[Option<Actual>], c: &Cand) -> bool {
    let mut elem: Option<Actual> = None;
    let mut array: Option<SigType> = None;
    let (mut nonarray, mut is_enum, mut compat_nonarray) = (false, false, false);
    let mut compat: Vec<Actual> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let decl = c.arg(i);
        if !is_polymorphic(decl) {
            continue;
        }
        nonarray |= decl.name == "anynonarray";
        is_enum |= decl.name == "anyenum";
        compat_nonarray |= decl.name == "anycompatiblenonarray";
        let Some(actual) = *a else { continue };
        match decl.name {
            "anyelement" | "anynonarray" | "anyenum" => {
                if elem.is_some_and(|e| e != actual) {
                    return false;
                }
                elem = Some(actual);
            }
            "anyarray" => {
                let Some(flat) = actual.builtin() else {
                    return false;
                };
                if array.is_some_and(|e| e != flat) {
                    return false;
                }
                array = Some(flat);
            }
            "anycompatible" | "anycompatiblenonarray" => compat.push(actual),
            "anycompatiblearray" => match actual.builtin() {
                Some(flat) if flat.array => compat.push(Actual::Builtin(element(flat))),
                _ => return false,
            },
            // anyrange, anymultirange and their anycompatible forms.
            _ => {
                let Some(flat) = actual.builtin() else {
                    return false;
                };
                let kind = BUILTINS.builtin_type(flat.name).map(|t| t.kind);
                if flat.array || !matches!(kind, Some('r' | 'm')) {
                    return false;
                }
            }
        }
    }
    if let Some(arr) = array {
        if !arr.array {
            return false;
        }
        let e = Actual::Builtin(element(arr));
        if elem.is_some_and(|x| x != e) {
            return false;
        }
        elem = Some(e);
    }
    if nonarray && elem.and_then(Actual::builtin).is_some_and(|e| e.array) {
        return false;
    }
    // `type_is_enum` of the element type, which no element type at all
    // (only unknown literals) fails too.
    if is_enum && !matches!(elem, Some(Actual::Enum(_))) {
        return false;
    }
    if !compat.is_empty() {
        let Some(common) = common_type(&compat) else {
            return false;
        };
        if !compat.iter().all(|t| can_coerce_actual(*t, common)) {
            return false;
        }
        if compat_nonarray && common.builtin().is_some_and(|c| c.array) {
            return false;
        }
    }
    true
}

/// `select_common_type_from_oids` over known types: a list of one type is
/// that type (a domain included); otherwise domains are their base types,
/// and the first type is replaced by a later one of its category it
/// coerces to implicitly (and not back) unless it is the category's
/// preferred type. `None` across categories.
pub fn common_type(types: &[Actual]) -> Option<Actual> {
    common_type_or_mismatch(types, false).ok()
}

/// As [`common_type`], or the index of the first type whose category
/// differs, with the type chosen until then. `with_unknowns` when the list
/// also had unknown literals: it is not one type then, even if its known
/// types are.
fn common_type_or_mismatch(
    types: &[Actual],
    with_unknowns: bool,
) -> Result<Actual, (usize, Actual)> {
    let Some((&first, rest)) = types.split_first() else {
        return Err((0, Actual::Builtin(ANY)));
    };
    if !with_unknowns && rest.iter().all(|t| *t == first) {
        return Ok(first);
    }
    let mut p = first.base();
    let (mut pcat, mut ppref) = p.category_preferred();
    for (i, &n) in rest.iter().enumerate() {
        let n = n.base();
        if n == p {
            continue;
        }
        let (ncat, npref) = n.category_preferred();
        if ncat != pcat {
            return Err((i + 1, p));
        }
        if !ppref && can_coerce_actual(p, n) && !can_coerce_actual(n, p) {
            (p, pcat, ppref) = (n, ncat, npref);
        }
    }
    Ok(p)
}

/// `func_select_candidate`: most exact matches, then most exact or
/// preferred-type matches within the argument's category, then categories
/// for the unknown arguments (string wins), then unknowns taken as the one
/// known type. Domains are their base types throughout. `None` when still
/// not unique.
fn select_candidate(args: &[Option<Actual>], cands: &[Cand], from: &[usize]) -> Option<usize> {
    let args: Vec<Option<Actual>> = args.iter().map(|a| a.map(Actual::base)).collect();
    let nargs = args.len();
    let mut list: Vec<usize> = from.to_vec();

    // Keep those with the most exact matches (all when none match).
    let best_by = |list: &[usize], score: &dyn Fn(&Cand) -> usize| -> Vec<usize> {
        let best = list.iter().map(|&i| score(&cands[i])).max().unwrap_or(0);
        list.iter()
            .copied()
            .filter(|&i| score(&cands[i]) == best)
            .collect()
    };
    list = best_by(&list, &|c| {
        (0..nargs)
            .filter(|&i| args[i].is_some_and(|a| a.is(c.arg(i))))
            .count()
    });
    if let [one] = list.as_slice() {
        return Some(*one);
    }
    list = best_by(&list, &|c| {
        (0..nargs)
            .filter(|&i| match args[i] {
                Some(a) => {
                    let t = c.arg(i);
                    let (cat, _) = a.category_preferred();
                    let (tcat, tpref) = BUILTINS.category_preferred(t);
                    a.is(t) || (tcat == cat && tpref)
                }
                None => false,
            })
            .count()
    });
    if let [one] = list.as_slice() {
        return Some(*one);
    }
    let unknowns = args.iter().filter(|a| a.is_none()).count();
    if unknowns == 0 {
        return None;
    }

    // A category for each unknown position.
    let mut slots: Vec<Option<(char, bool)>> = vec![None; nargs];
    let mut resolved = true;
    for (i, slot) in slots.iter_mut().enumerate() {
        if args[i].is_some() {
            continue;
        }
        let mut cat: Option<char> = None;
        let mut has_pref = false;
        let mut conflict = false;
        for &ci in &list {
            let (c, p) = BUILTINS.category_preferred(cands[ci].arg(i));
            match cat {
                None => {
                    cat = Some(c);
                    has_pref = p;
                }
                Some(x) if x == c => has_pref |= p,
                Some(_) if c == 'S' => {
                    cat = Some(c);
                    has_pref = p;
                }
                Some(_) => conflict = true,
            }
        }
        if conflict && cat != Some('S') {
            resolved = false;
            break;
        }
        *slot = cat.map(|c| (c, has_pref));
    }
    if resolved {
        let kept: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&ci| {
                (0..nargs).all(|i| match (args[i], slots[i]) {
                    (None, Some((cat, has_pref))) => {
                        let (c, p) = BUILTINS.category_preferred(cands[ci].arg(i));
                        c == cat && (!has_pref || p)
                    }
                    _ => true,
                })
            })
            .collect();
        if !kept.is_empty() {
            list = kept;
        }
        if let [one] = list.as_slice() {
            return Some(*one);
        }
    }

    // Last: all known arguments of one type, unknowns taken as it too.
    if unknowns < nargs {
        let mut known = args.iter().flatten();
        let first = *known.next()?;
        if known.all(|t| *t == first) {
            let same = vec![Some(first); nargs];
            let mut fits = list
                .iter()
                .filter(|&&ci| can_coerce_args(&same, &cands[ci]));
            if let (Some(&one), None) = (fits.next(), fits.next()) {
                return Some(one);
            }
        }
    }
    None
}

/// The result type of a chosen candidate; a polymorphic result takes the
/// type its arguments decide where that is plain, else it is opaque.
pub fn result_type(args: &[Option<Actual>], c: &Cand) -> Ty {
    let ret = c.returns;
    if ret.starts_with("setof ") {
        return Ty::Opaque;
    }
    let r = SigType::parse(ret);
    if !is_polymorphic(r) {
        return Ty::from_typname(ret);
    }
    bound_type(r, args, c)
}

/// The type an argument is converted to when `c` is called with `args`:
/// its declared type, or what the polymorphic parameter stands for.
/// `None` for pseudo-types and what is not known.
fn parameter_type(args: &[Option<Actual>], c: &Cand, i: usize) -> Option<Actual> {
    let decl = c.arg(i);
    if is_polymorphic(decl) {
        return match bound_type(decl, args, c) {
            Ty::Known(t) => Some(t),
            _ => None,
        };
    }
    match BUILTINS.builtin_type(decl.name) {
        Some(b) if matches!(b.kind, 'b' | 'r' | 'm') => Some(Actual::Builtin(decl)),
        _ => None,
    }
}

/// What the polymorphic type `r` stands for in a call of `c` with `args`
/// (`enforce_generic_type_consistency`).
fn bound_type(r: SigType, args: &[Option<Actual>], c: &Cand) -> Ty {
    let mut elem: Option<Actual> = None;
    let mut compat: Vec<Actual> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let Some(actual) = *a else { continue };
        let decl = c.arg(i);
        let flat_element = actual
            .builtin()
            .filter(|f| f.array)
            .map(|f| Actual::Builtin(element(f)));
        match decl.name {
            _ if decl.array => {}
            "anyelement" | "anynonarray" | "anyenum" => elem = elem.or(Some(actual)),
            "anyarray" => elem = elem.or(flat_element),
            "anycompatible" | "anycompatiblenonarray" => compat.push(actual),
            "anycompatiblearray" => compat.extend(flat_element),
            _ => {}
        }
    }
    // Arrays of user types are not modelled.
    let array_of = |t: Actual| match t {
        Actual::Builtin(t) if !t.array => Ty::Known(Actual::Builtin(SigType {
            name: t.name,
            array: true,
        })),
        _ => Ty::Opaque,
    };
    match r.name {
        "anyelement" | "anynonarray" | "anyenum" => elem.map_or(Ty::Opaque, Ty::Known),
        "anyarray" => elem.map_or(Ty::Opaque, array_of),
        "anycompatible" | "anycompatiblenonarray" => {
            common_type(&compat).map_or(Ty::Opaque, Ty::Known)
        }
        "anycompatiblearray" => common_type(&compat).map_or(Ty::Opaque, array_of),
        _ => Ty::Opaque,
    }
}

/// The types of a table's columns, by name, as an expression over the
/// table sees them (`None` for a name that is no column or whose type is
/// not known).
pub type ColumnTypes<'a> = &'a dyn Fn(&str) -> Option<ColType>;

/// What the names in an expression stand for.
#[derive(Clone, Copy)]
struct Scope<'a> {
    columns: ColumnTypes<'a>,
    /// In a domain's CHECK, `VALUE` (a bare name) is the value being
    /// checked, of the domain's base type, and no column (no Var).
    domain_value: Option<&'a ColType>,
}

impl Scope<'_> {
    fn column(&self, fields: &[Node]) -> Option<ColType> {
        if let (Some(base), [only]) = (self.domain_value, fields)
            && str_of(only) == Some("value")
        {
            return Some(base.clone());
        }
        fields.last().and_then(str_of).and_then(self.columns)
    }

    /// `contain_vars_of_level(e, 0)`: does the expression read a column?
    fn has_vars(&self, e: &Node) -> bool {
        let mut found = false;
        expr::walk(e, &mut |n| {
            if let NodeEnum::ColumnRef(c) = n {
                let value = self.domain_value.is_some()
                    && matches!(c.fields.as_slice(), [only] if str_of(only) == Some("value"));
                found |= !value;
            }
        });
        found
    }
}

/// An expression's type, where it starts, and its text when it is an
/// untyped string literal.
struct Typed {
    ty: Ty,
    location: i32,
    literal: Option<String>,
}

/// The SQL construct a common type is chosen for, as messages name it.
#[derive(Clone, Copy)]
enum Construct {
    Case,
    Coalesce,
    Greatest,
    Least,
}

impl Construct {
    fn name(self) -> &'static str {
        match self {
            Construct::Case => "CASE",
            Construct::Coalesce => "COALESCE",
            Construct::Greatest => "GREATEST",
            Construct::Least => "LEAST",
        }
    }
}

impl Catalog {
    /// Raises PostgreSQL's "function ... does not exist" / "operator does
    /// not exist" where an expression calls a built-in function or operator
    /// with arguments no overload accepts, and its "cannot be matched"
    /// where a CASE, COALESCE or GREATEST/LEAST has no common type. Column
    /// references take their types from `columns`.
    pub(crate) fn check_expression_types(&self, e: &Node, columns: ColumnTypes) -> PgResult<()> {
        self.check_types_in(
            e,
            Scope {
                columns,
                domain_value: None,
            },
        )
    }

    /// As [`Self::check_expression_types`], for a domain's CHECK: `VALUE`
    /// has the domain's base type.
    pub(crate) fn check_domain_check_types(&self, e: &Node, base: &ColType) -> PgResult<()> {
        self.check_types_in(
            e,
            Scope {
                columns: &|_| None,
                domain_value: Some(base),
            },
        )
    }

    fn check_types_in(&self, e: &Node, scope: Scope) -> PgResult<()> {
        // Something migsim did not model may have created operators,
        // functions or casts: nothing is judged then.
        if self.unmodelled_overloads || self.has_unknown_extension() {
            return Ok(());
        }
        self.type_of(e, scope).map(|_| ())
    }

    /// A column type as resolution sees it: built-in base, range and
    /// multirange types and arrays of them, enums, and domains over those
    /// built-in types or enums; anything else (arrays of user types
    /// included) is opaque.
    fn ty_of(&self, t: &ColType) -> Ty {
        match &t.base {
            TypeRef::Builtin(n) => match BUILTINS.builtin_type(n) {
                Some(b) if matches!(b.kind, 'b' | 'r' | 'm') => {
                    Ty::Known(Actual::Builtin(SigType {
                        name: b.name,
                        array: t.array,
                    }))
                }
                _ => Ty::Opaque,
            },
            TypeRef::User(oid) if !t.array => self.user_ty(*oid),
            _ => Ty::Opaque,
        }
    }

    fn user_ty(&self, oid: Oid) -> Ty {
        let mut base = match self.user_type(oid).map(|u| &u.kind) {
            Some(TypeKind::Enum { .. }) => return Ty::Known(Actual::Enum(oid)),
            Some(TypeKind::Domain { base, .. }) => base,
            _ => return Ty::Opaque,
        };
        // A domain over a domain: `getBaseType` goes down to the first type
        // that is not one (bounded, though domains cannot form cycles).
        for _ in 0..64 {
            match &base.base {
                TypeRef::Builtin(_) => {
                    return match self.ty_of(base) {
                        Ty::Known(Actual::Builtin(s)) => Ty::Known(Actual::Domain(oid, s)),
                        _ => Ty::Opaque,
                    };
                }
                TypeRef::User(inner) if !base.array => {
                    match self.user_type(*inner).map(|u| &u.kind) {
                        Some(TypeKind::Domain { base: b, .. }) => base = b,
                        Some(TypeKind::Enum { .. }) => {
                            return Ty::Known(Actual::EnumDomain(oid, *inner));
                        }
                        _ => return Ty::Opaque,
                    }
                }
                _ => return Ty::Opaque,
            }
        }
        Ty::Opaque
    }

    /// The type of an expression, raising resolution errors of the calls
    /// inside it bottom-up and left to right, as parse analysis meets them.
    fn type_of(&self, n: &Node, scope: Scope) -> PgResult<Ty> {
        let Some(node) = n.node.as_ref() else {
            return Ok(Ty::Opaque);
        };
        Ok(match node {
            NodeEnum::AConst(c) => const_type(c),
            NodeEnum::TypeCast(tc) => {
                if let Some(arg) = tc.arg.as_deref() {
                    self.type_of(arg, scope)?;
                }
                tc.type_name
                    .as_ref()
                    .and_then(|tn| self.resolve_type(tn).ok())
                    .map_or(Ty::Opaque, |t| self.ty_of(&t))
            }
            // `a` or `t.a`; `t.*` and longer names are left alone.
            NodeEnum::ColumnRef(c) if matches!(c.fields.len(), 1 | 2) => scope
                .column(&c.fields)
                .map_or(Ty::Opaque, |t| self.ty_of(&t)),
            NodeEnum::CollateClause(c) => match c.arg.as_deref() {
                Some(arg) => self.type_of(arg, scope)?,
                None => Ty::Opaque,
            },
            NodeEnum::SqlvalueFunction(_) => match expr::literal_type(n) {
                Some(Some(t)) => self.ty_of(&t),
                _ => Ty::Opaque,
            },
            NodeEnum::BoolExpr(b) => {
                for a in &b.args {
                    self.type_of(a, scope)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::NullTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.type_of(a, scope)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::BooleanTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.type_of(a, scope)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::CoalesceExpr(c) => {
                let tys = self.located_types(&c.args, scope)?;
                self.select_common(&tys, Construct::Coalesce)?
            }
            NodeEnum::MinMaxExpr(m) => {
                let tys = self.located_types(&m.args, scope)?;
                let construct = match MinMaxOp::try_from(m.op) {
                    Ok(MinMaxOp::IsGreatest) => Construct::Greatest,
                    Ok(MinMaxOp::IsLeast) => Construct::Least,
                    _ => return Ok(Ty::Opaque),
                };
                self.select_common(&tys, construct)?
            }
            NodeEnum::CaseExpr(c) => self.case_type(c, scope)?,
            NodeEnum::AArrayExpr(a) => {
                let tys = self.types_of(&a.elements, scope)?;
                match common_of(&tys) {
                    Ty::Known(Actual::Builtin(t)) if !t.array && !tys.is_empty() => {
                        Ty::Known(Actual::Builtin(SigType {
                            name: t.name,
                            array: true,
                        }))
                    }
                    _ => Ty::Opaque,
                }
            }
            NodeEnum::FuncCall(fc) => self.call_type(fc, scope)?,
            NodeEnum::AExpr(a) => self.aexpr_type(a, scope)?,
            _ => Ty::Opaque,
        })
    }

    fn types_of(&self, list: &[Node], scope: Scope) -> PgResult<Vec<Ty>> {
        list.iter().map(|a| self.type_of(a, scope)).collect()
    }

    fn located_types(&self, list: &[Node], scope: Scope) -> PgResult<Vec<Typed>> {
        list.iter().map(|a| self.typed(a, scope)).collect()
    }

    fn typed(&self, n: &Node, scope: Scope) -> PgResult<Typed> {
        let ty = self.type_of(n, scope)?;
        Ok(Typed {
            ty,
            location: location_of(n),
            literal: match ty {
                Ty::Unknown => expr::untyped_string(n),
                _ => None,
            },
        })
    }

    /// A common type as a column type, for the input functions.
    fn col_type(t: Actual) -> ColType {
        match t {
            Actual::Builtin(s) => ColType {
                array: s.array,
                ..ColType::builtin(s.name)
            },
            Actual::Enum(oid) | Actual::Domain(oid, _) | Actual::EnumDomain(oid, _) => ColType {
                base: TypeRef::User(oid),
                typmods: Vec::new(),
                array: false,
            },
        }
    }

    /// `transformCaseExpr`: the operand (an unknown literal taken as
    /// text) compared with `=` to each WHEN value, then the results'
    /// common type, the ELSE (NULL when absent) counting first.
    fn case_type(&self, c: &pg_query::protobuf::CaseExpr, scope: Scope) -> PgResult<Ty> {
        let operand = match c.arg.as_deref() {
            Some(a) => Some(match self.type_of(a, scope)? {
                Ty::Unknown => Ty::builtin("text"),
                t => t,
            }),
            None => None,
        };
        let mut results = Vec::with_capacity(c.args.len() + 1);
        for w in &c.args {
            let Some(NodeEnum::CaseWhen(w)) = w.node.as_ref() else {
                continue;
            };
            if let Some(cond) = w.expr.as_deref() {
                let value = self.typed(cond, scope)?;
                if let Some(operand) = operand {
                    let operand = Typed {
                        ty: operand,
                        location: -1,
                        literal: None,
                    };
                    self.operator_with_literals("=", Some(&operand), &value, false, w.location)?;
                }
            }
            if let Some(r) = w.result.as_deref() {
                results.push(self.typed(r, scope)?);
            }
        }
        let default = match c.defresult.as_deref() {
            Some(d) => self.typed(d, scope)?,
            None => Typed {
                ty: Ty::Unknown,
                location: -1,
                literal: None,
            },
        };
        results.insert(0, default);
        self.select_common(&results, Construct::Case)
    }

    /// `select_common_type` then `coerce_to_common_type` over a list of
    /// typed expressions: text when all are unknown literals; 42804 when
    /// two fall in different categories, 42846 when one cannot be
    /// converted to the type chosen, and the input function's error when
    /// an untyped literal is no value of it. Opaque, and not judged, when
    /// any type is not known.
    fn select_common(&self, tys: &[Typed], construct: Construct) -> PgResult<Ty> {
        let mut known: Vec<(Actual, i32)> = Vec::with_capacity(tys.len());
        for t in tys {
            match t.ty {
                Ty::Known(a) => known.push((a, t.location)),
                Ty::Unknown => {}
                Ty::Opaque => return Ok(Ty::Opaque),
            }
        }
        if known.is_empty() {
            return Ok(Ty::builtin("text"));
        }
        let with_unknowns = known.len() < tys.len();
        let types: Vec<Actual> = known.iter().map(|k| k.0).collect();
        let common = match common_type_or_mismatch(&types, with_unknowns) {
            Ok(t) => t,
            Err((i, chosen)) => {
                let (other, loc) = known.get(i).copied().unwrap_or((chosen, -1));
                return Err(PgError::new(
                    code::DATATYPE_MISMATCH,
                    format!(
                        "{} types {} and {} cannot be matched",
                        construct.name(),
                        self.sig_display(Some(chosen)),
                        self.sig_display(Some(other.base()))
                    ),
                )
                .at(loc));
            }
        };
        let common_col = Self::col_type(common);
        for (i, typed) in tys.iter().enumerate() {
            let t = match typed.ty {
                Ty::Known(t) => t,
                _ => {
                    if let Some(text) = &typed.literal {
                        self.check_input(text, &common_col)
                            .map_err(|e| e.at(typed.location))?;
                    }
                    continue;
                }
            };
            if !can_coerce_actual(t, common) {
                // A CASE converts its ELSE (first in the list) before the
                // WHEN results, and names them apart.
                let context = match construct {
                    Construct::Case if i > 0 => "CASE/WHEN",
                    _ => construct.name(),
                };
                return Err(PgError::new(
                    code::CANNOT_COERCE,
                    format!(
                        "{context} could not convert type {} to {}",
                        self.sig_display(Some(t)),
                        self.sig_display(Some(common))
                    ),
                )
                .at(typed.location));
            }
        }
        Ok(Ty::Known(common))
    }

    /// A function call: its arguments' types, then the overload chosen.
    fn call_type(&self, fc: &FuncCall, scope: Scope) -> PgResult<Ty> {
        let typed = self.located_types(&fc.args, scope)?;
        let tys: Vec<Ty> = typed.iter().map(|t| t.ty).collect();
        let special = fc.agg_star
            || fc.agg_distinct
            || fc.func_variadic
            || fc.over.is_some()
            || fc.agg_filter.is_some()
            || !fc.agg_order.is_empty()
            || fc
                .args
                .iter()
                .any(|a| matches!(a.node, Some(NodeEnum::NamedArgExpr(_))));
        let Some(q) = qual_from_list(&fc.funcname) else {
            return Ok(Ty::Opaque);
        };
        if !special
            && let [arg] = &typed[..]
            && (arg.literal.is_some() || matches!(arg.ty, Ty::Known(_)))
            && let Some(t) = self.type_named_by_call(&q)
        {
            // `int4('x')`: a type's name called on one untyped literal is a
            // cast, whatever functions share the name (func_get_detail's
            // coercion case).
            if let Some(text) = &arg.literal {
                self.check_input(text, &t).map_err(|e| e.at(arg.location))?;
                return Ok(self.ty_of(&t));
            }
            // A call by an enum's name is a cast only where the value needs
            // no function to become one: it is the enum already, or goes
            // through text (a string type's input and output).
            if let (Ty::Known(source), TypeRef::User(target), false) = (arg.ty, &t.base, t.array)
                && matches!(
                    self.user_type(*target).map(|u| &u.kind),
                    Some(TypeKind::Enum { .. })
                )
                && self.resolve_function(&q, 1).is_none()
            {
                let cast =
                    source.base() == Actual::Enum(*target) || source.category_preferred().0 == 'S';
                if !cast {
                    return Err(PgError::new(
                        code::UNDEFINED_FUNCTION,
                        format!("function {q}({}) does not exist", self.sig_display(Some(source))),
                    )
                    .hint("No function matches the given name and argument types. You might need to add explicit type casts.")
                    .at(fc.location));
                }
                return Ok(Ty::Known(Actual::Enum(*target)));
            }
        }
        if special
            || q.schema.as_deref().is_some_and(|s| s != "pg_catalog")
            || !self.only_builtin_function(&q.name)
        {
            return Ok(Ty::Opaque);
        }
        let Some(args) = known_args(&tys) else {
            return Ok(Ty::Opaque);
        };
        let Some(fs) = BUILTINS.functions(&q.name) else {
            return Ok(Ty::Opaque);
        };
        let cands = function_candidates(fs, args.len());
        let type_name_call = args.len() == 1 && self.is_type_name(&q.name);
        match select_function(&args, &cands, type_name_call) {
            Pick::One(i) => {
                // Untyped literals are read as the parameter's type.
                for (k, arg) in typed.iter().enumerate() {
                    if let (Some(text), Some(param)) =
                        (&arg.literal, parameter_type(&args, &cands[i], k))
                    {
                        self.check_input(text, &Self::col_type(param))
                            .map_err(|e| e.at(arg.location))?;
                    }
                }
                Ok(result_type(&args, &cands[i]))
            }
            Pick::Many => Ok(Ty::Opaque),
            Pick::None => {
                let shown: Vec<String> = args.iter().map(|a| self.sig_display(*a)).collect();
                Err(PgError::new(
                    code::UNDEFINED_FUNCTION,
                    format!("function {q}({}) does not exist", shown.join(", ")),
                )
                .hint("No function matches the given name and argument types. You might need to add explicit type casts.")
                .at(fc.location))
            }
        }
    }

    /// An operator expression (and the forms the parser builds from
    /// operators: IS DISTINCT FROM, NULLIF, LIKE, BETWEEN, op ANY/ALL).
    fn aexpr_type(&self, a: &AExpr, scope: Scope) -> PgResult<Ty> {
        use AExprKind as K;
        let kind = AExprKind::try_from(a.kind).unwrap_or(K::Undefined);
        let left_typed = match a.lexpr.as_deref() {
            Some(l) => Some(self.typed(l, scope)?),
            None => None,
        };
        let left = left_typed.as_ref().map(|l| l.ty);
        let bool_ty = Ty::builtin("bool");
        let name = match a.name.as_slice() {
            [n] => str_of(n),
            [s, n] if str_of(s) == Some("pg_catalog") => str_of(n),
            _ => None,
        };
        match kind {
            K::AexprOp
            | K::AexprLike
            | K::AexprIlike
            | K::AexprSimilar
            | K::AexprDistinct
            | K::AexprNotDistinct
            | K::AexprNullif => {
                let right = match a.rexpr.as_deref() {
                    Some(r) => self.typed(r, scope)?,
                    None => Typed {
                        ty: Ty::Opaque,
                        location: -1,
                        literal: None,
                    },
                };
                let Some(name) = name else {
                    return Ok(Ty::Opaque);
                };
                let result = self.operator_with_literals(
                    name,
                    left_typed.as_ref(),
                    &right,
                    false,
                    a.location,
                )?;
                Ok(match kind {
                    K::AexprOp | K::AexprLike | K::AexprIlike | K::AexprSimilar => result,
                    K::AexprNullif => left.unwrap_or(Ty::Opaque),
                    _ => bool_ty,
                })
            }
            K::AexprOpAny | K::AexprOpAll => {
                let right = match a.rexpr.as_deref() {
                    Some(r) => self.typed(r, scope)?,
                    None => Typed {
                        ty: Ty::Opaque,
                        location: -1,
                        literal: None,
                    },
                };
                // The operator takes the array's element type (an untyped
                // literal stays unknown, then is read as an array of what
                // the operator takes; a domain over an array is flattened).
                let elem = match right.ty {
                    Ty::Known(t) => match t.builtin() {
                        Some(t) if t.array => Ty::Known(Actual::Builtin(element(t))),
                        _ => Ty::Opaque,
                    },
                    Ty::Unknown => Ty::Unknown,
                    _ => Ty::Opaque,
                };
                if let Some(name) = name {
                    let right = Typed { ty: elem, ..right };
                    self.operator_with_literals(
                        name,
                        left_typed.as_ref(),
                        &right,
                        true,
                        a.location,
                    )?;
                }
                Ok(bool_ty)
            }
            K::AexprBetween | K::AexprNotBetween | K::AexprBetweenSym | K::AexprNotBetweenSym => {
                let bounds = match a.rexpr.as_deref().and_then(|r| r.node.as_ref()) {
                    Some(NodeEnum::List(l)) => self.located_types(&l.items, scope)?,
                    _ => Vec::new(),
                };
                let (lo_op, hi_op) = match kind {
                    K::AexprBetween | K::AexprBetweenSym => (">=", "<="),
                    _ => ("<", ">"),
                };
                if let [lo, hi] = bounds.as_slice() {
                    let left = left_typed.as_ref();
                    self.operator_with_literals(lo_op, left, lo, false, a.location)?;
                    self.operator_with_literals(hi_op, left, hi, false, a.location)?;
                }
                Ok(bool_ty)
            }
            K::AexprIn => {
                let items = match a.rexpr.as_deref().and_then(|r| r.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.as_slice(),
                    _ => &[],
                };
                let tys = self.located_types(items, scope)?;
                if let (Some(name), Some(left)) = (name, &left_typed) {
                    self.in_list(name, left, items, &tys, scope, a.location)?;
                }
                Ok(bool_ty)
            }
            _ => {
                if let Some(r) = a.rexpr.as_deref() {
                    match r.node.as_ref() {
                        Some(NodeEnum::List(l)) => {
                            self.types_of(&l.items, scope)?;
                        }
                        _ => {
                            self.type_of(r, scope)?;
                        }
                    }
                }
                Ok(Ty::Opaque)
            }
        }
    }

    /// `transformAExprIn`: when more than one item reads no column and
    /// those items and the left side have a common type with an array
    /// type, they are compared at once as `left op ANY (ARRAY[...])`;
    /// every other item is compared on its own, `left op item`.
    fn in_list(
        &self,
        name: &str,
        left_typed: &Typed,
        items: &[Node],
        typed: &[Typed],
        scope: Scope,
        location: i32,
    ) -> PgResult<()> {
        let left = left_typed.ty;
        let tys: Vec<Ty> = typed.iter().map(|t| t.ty).collect();
        let (vars, nonvars): (Vec<usize>, Vec<usize>) =
            (0..items.len()).partition(|&i| scope.has_vars(&items[i]));
        let mut each: Vec<usize> = (0..items.len()).collect();
        if nonvars.len() > 1 {
            let all: Vec<Ty> = std::iter::once(left)
                .chain(nonvars.iter().map(|&i| tys[i]))
                .collect();
            let Some(args) = known_args(&all) else {
                // Which way PostgreSQL goes is not known.
                return Ok(());
            };
            let known: Vec<Actual> = args.iter().flatten().copied().collect();
            let scalar = if known.is_empty() {
                Some(Actual::Builtin(SigType {
                    name: "text",
                    array: false,
                }))
            } else {
                common_type_or_mismatch(&known, known.len() < args.len())
                    .ok()
                    // `verify_common_type`.
                    .filter(|c| known.iter().all(|t| can_coerce_actual(*t, *c)))
            };
            // An array of arrays has no array type of its own.
            if let Some(scalar) = scalar
                && scalar.builtin().is_none_or(|s| !s.array)
            {
                // The untyped items are read as the common type first.
                let col = Self::col_type(scalar);
                for &i in &nonvars {
                    if tys[i] == Ty::Unknown
                        && let Some(text) = expr::untyped_string(&items[i])
                    {
                        self.check_input(&text, &col)
                            .map_err(|e| e.at(location_of(&items[i])))?;
                    }
                }
                let array = Typed {
                    ty: Ty::Known(scalar),
                    location: -1,
                    literal: None,
                };
                self.operator_with_literals(name, Some(left_typed), &array, false, location)?;
                each = vars;
            }
        }
        for i in each {
            self.operator_with_literals(name, Some(left_typed), &typed[i], false, location)?;
        }
        Ok(())
    }

    /// The result of `left name right` (prefix when `left` is `None`), or
    /// "operator does not exist" when no built-in operator takes them;
    /// then each untyped literal operand is read as the type the operator
    /// takes there (`make_fn_arguments`), which raises its input
    /// function's error: `int_col + 'x'` is 22P02.
    /// `array_right`: the right operand is the array of `op ANY/ALL`.
    fn operator_with_literals(
        &self,
        name: &str,
        left: Option<&Typed>,
        right: &Typed,
        array_right: bool,
        location: i32,
    ) -> PgResult<Ty> {
        let Some((args, c)) = self.pick_operator(name, left.map(|l| l.ty), right.ty, location)?
        else {
            return Ok(Ty::Opaque);
        };
        let operands: Vec<&Typed> = left.into_iter().chain([right]).collect();
        for (i, operand) in operands.iter().enumerate() {
            let Some(text) = &operand.literal else {
                continue;
            };
            let Some(param) = parameter_type(&args, &c, i) else {
                continue;
            };
            let mut col = Self::col_type(param);
            if array_right && i + 1 == operands.len() {
                if col.array {
                    continue;
                }
                col.array = true;
            }
            self.check_input(text, &col)
                .map_err(|e| e.at(operand.location))?;
        }
        Ok(result_type(&args, &c))
    }

    /// The built-in operator `left name right` resolves to, with the
    /// argument types it was chosen for; `None` when that is not known.
    fn pick_operator(
        &self,
        name: &str,
        left: Option<Ty>,
        right: Ty,
        location: i32,
    ) -> PgResult<Option<(Vec<Option<Actual>>, Cand<'static>)>> {
        if !self.only_builtin_operator(name) {
            return Ok(None);
        }
        let tys: Vec<Ty> = left.into_iter().chain([right]).collect();
        let Some(args) = known_args(&tys) else {
            return Ok(None);
        };
        let cands = operator_candidates(BUILTINS.operators(name), left.is_none());
        match select_operator(&args, &cands) {
            Pick::One(i) => Ok(Some((args, cands[i]))),
            Pick::Many => Ok(None),
            Pick::None => {
                let (sig, hint) = match args.as_slice() {
                    [l, r] => (
                        format!("{} {name} {}", self.sig_display(*l), self.sig_display(*r)),
                        "No operator matches the given name and argument types. You might need to add explicit type casts.",
                    ),
                    _ => (
                        format!("{name} {}", self.sig_display(args[0])),
                        "No operator matches the given name and argument type. You might need to add an explicit type cast.",
                    ),
                };
                Err(PgError::new(
                    code::UNDEFINED_FUNCTION,
                    format!("operator does not exist: {sig}"),
                )
                .hint(hint)
                .at(location))
            }
        }
    }

    /// Only pg_catalog can have a function of this name: no user or
    /// extension function shares it.
    fn only_builtin_function(&self, name: &str) -> bool {
        !self.functions.values().any(|f| f.name == name)
            && !self.extensions.values().any(|x| {
                BUILTINS.extensions.get(x.name.as_str()).is_none_or(|d| {
                    d.functions.iter().any(|f| f.0 == name)
                        || d.function_prefixes
                            .iter()
                            .any(|p| name.to_ascii_lowercase().starts_with(p))
                })
            })
    }

    /// Only pg_catalog can have an operator of this name: no installed
    /// extension brings one (or may, when its operators are not listed).
    fn only_builtin_operator(&self, name: &str) -> bool {
        !self.extensions.values().any(|x| {
            BUILTINS
                .extensions
                .get(x.name.as_str())
                .is_none_or(|d| !d.operators_listed || d.operators.contains(&name))
        })
    }

    /// `FuncNameAsType`: the type a one-argument call by this name may be
    /// a cast to. Not row types (of tables or composite types), nor types
    /// migsim assumes an unlisted extension brings (the name may be any
    /// function's).
    pub(crate) fn type_named_by_call(&self, q: &QualName) -> Option<ColType> {
        // Nearly every call is by a function's name (`nextval('s')`): no
        // type has it, which is quick to see.
        let element = q.name.strip_prefix('_').unwrap_or(&q.name);
        if !self.is_type_name(&q.name) && !self.is_type_name(element) {
            return None;
        }
        let tn = TypeName {
            names: q
                .schema
                .iter()
                .chain([&q.name])
                .map(|s| expr::string_node(s))
                .collect(),
            ..Default::default()
        };
        let t = self.resolve_type(&tn).ok()?;
        let castable = match &t.base {
            TypeRef::Builtin(_) => true,
            TypeRef::User(oid) => !matches!(
                self.user_type(*oid).map(|u| &u.kind),
                Some(TypeKind::Composite { .. }) | None
            ),
            TypeRef::Row(_) | TypeRef::Assumed(_) => false,
        };
        castable.then_some(t)
    }

    /// Is there a type of this name a one-argument call may be a cast to?
    fn is_type_name(&self, name: &str) -> bool {
        BUILTINS.builtin_type(name).is_some() || self.types.values().any(|t| t.name == name)
    }

    /// The argument types of a call as "function ... does not exist"
    /// prints them, where resolution knows them (`None` otherwise).
    pub(crate) fn call_arg_types(
        &self,
        fc: &FuncCall,
        columns: ColumnTypes,
    ) -> Vec<Option<String>> {
        let scope = Scope {
            columns,
            domain_value: None,
        };
        fc.args
            .iter()
            .map(|a| match self.type_of(a, scope) {
                Ok(Ty::Known(t)) => Some(self.sig_display(Some(t))),
                Ok(Ty::Unknown) => Some("unknown".into()),
                _ => None,
            })
            .collect()
    }

    /// A type as `format_type_be` prints it in these messages.
    fn sig_display(&self, t: Option<Actual>) -> String {
        match t {
            None => "unknown".into(),
            Some(Actual::Builtin(t)) => {
                let mut c = ColType::builtin(t.name);
                c.array = t.array;
                self.type_display(&c)
            }
            Some(Actual::Enum(oid) | Actual::Domain(oid, _) | Actual::EnumDomain(oid, _)) => self
                .type_display(&ColType {
                    base: TypeRef::User(oid),
                    typmods: Vec::new(),
                    array: false,
                }),
        }
    }
}

/// Argument types for resolution: `None` for an unknown literal; `None`
/// overall when any argument is opaque.
fn known_args(tys: &[Ty]) -> Option<Vec<Option<Actual>>> {
    tys.iter()
        .map(|t| match t {
            Ty::Unknown => Some(None),
            Ty::Known(s) => Some(Some(*s)),
            Ty::Opaque => None,
        })
        .collect()
}

/// The type `select_common_type` gives an `ARRAY[...]`'s elements: text
/// when all are unknown literals, opaque when unsure. (No error: a cast
/// of the array gives its elements their type instead.)
fn common_of(tys: &[Ty]) -> Ty {
    let Some(args) = known_args(tys) else {
        return Ty::Opaque;
    };
    let known: Vec<Actual> = args.into_iter().flatten().collect();
    if known.is_empty() {
        return Ty::builtin("text");
    }
    common_type_or_mismatch(&known, known.len() < tys.len()).map_or(Ty::Opaque, Ty::Known)
}

/// `exprLocation` for the nodes messages point at; -1 when unknown.
fn location_of(n: &Node) -> i32 {
    match n.node.as_ref() {
        Some(NodeEnum::AConst(c)) => c.location,
        Some(NodeEnum::ColumnRef(c)) => c.location,
        Some(NodeEnum::FuncCall(f)) => f.location,
        Some(NodeEnum::AExpr(a)) => a.location,
        Some(NodeEnum::TypeCast(t)) => match t.arg.as_deref().map(location_of) {
            Some(l) if l >= 0 && (t.location < 0 || l < t.location) => l,
            _ => t.location,
        },
        Some(NodeEnum::CaseExpr(c)) => c.location,
        Some(NodeEnum::CoalesceExpr(c)) => c.location,
        Some(NodeEnum::MinMaxExpr(m)) => m.location,
        Some(NodeEnum::SqlvalueFunction(f)) => f.location,
        _ => -1,
    }
}

/// A constant's type as `make_const` gives it: integers that fit are
/// `integer` then `bigint`, other numbers `numeric`; strings and NULL are
/// unknown.
fn const_type(c: &AConst) -> Ty {
    use pg_query::protobuf::a_const::Val;
    if c.isnull {
        return Ty::Unknown;
    }
    match c.val.as_ref() {
        Some(Val::Ival(_)) => Ty::builtin("int4"),
        Some(Val::Fval(f)) => {
            let digits = f.fval.strip_prefix('-').unwrap_or(&f.fval);
            let integral = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            if integral && f.fval.parse::<i64>().is_ok() {
                Ty::builtin("int8")
            } else {
                Ty::builtin("numeric")
            }
        }
        Some(Val::Boolval(_)) => Ty::builtin("bool"),
        Some(Val::Sval(_)) => Ty::Unknown,
        Some(Val::Bsval(_)) => Ty::builtin("bit"),
        None => Ty::Opaque,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &'static str) -> Option<Actual> {
        Some(Actual::Builtin(SigType { name, array: false }))
    }

    fn arr(name: &'static str) -> Option<Actual> {
        Some(Actual::Builtin(SigType { name, array: true }))
    }

    fn func(name: &str, args: &[Option<Actual>]) -> (Pick, Ty) {
        let fs = BUILTINS.functions(name).unwrap_or(&[]);
        let cands = function_candidates(fs, args.len());
        let pick = select_function(args, &cands, false);
        let ty = match pick {
            Pick::One(i) => result_type(args, &cands[i]),
            _ => Ty::Opaque,
        };
        (pick, ty)
    }

    fn op(name: &str, args: &[Option<Actual>]) -> (Pick, Ty) {
        let cands = operator_candidates(BUILTINS.operators(name), args.len() == 1);
        let pick = select_operator(args, &cands);
        let ty = match pick {
            Pick::One(i) => result_type(args, &cands[i]),
            _ => Ty::Opaque,
        };
        (pick, ty)
    }

    #[test]
    fn functions_resolve_through_implicit_casts_and_unknowns() {
        assert_eq!(func("lower", &[None]).1, Ty::builtin("text"));
        assert_eq!(func("lower", &[t("varchar")]).1, Ty::builtin("text"));
        assert_eq!(func("lower", &[t("int4"), t("int4")]).0, Pick::None);
        assert_eq!(func("lower", &[t("int4")]).0, Pick::None);
        assert_eq!(func("round", &[t("numeric")]).1, Ty::builtin("numeric"));
        // round(1.5): numeric exact; round(1): int4 -> float8 is preferred.
        assert_eq!(func("round", &[t("int4")]).1, Ty::builtin("float8"));
        assert_eq!(func("substr", &[None, t("int4")]).1, Ty::builtin("text"));
        assert_eq!(func("length", &[t("text")]).1, Ty::builtin("int4"));
        assert_eq!(func("now", &[]).1, Ty::builtin("timestamptz"));
        // Defaults and variadic parameters.
        assert!(matches!(
            func("jsonb_set", &[t("jsonb"), arr("text"), t("jsonb")]).0,
            Pick::One(_)
        ));
        assert!(matches!(
            func("concat", &[t("int4"), None, t("bool")]).0,
            Pick::One(_)
        ));
        assert_eq!(
            func("array_append", &[arr("int4"), t("int4")]).1,
            Ty::Known(Actual::Builtin(SigType {
                name: "int4",
                array: true
            }))
        );
        assert_eq!(func("array_append", &[t("int4"), t("int4")]).0, Pick::None);
    }

    #[test]
    fn operators_resolve_as_oper_does() {
        assert_eq!(op(">", &[t("text"), t("int4")]).0, Pick::None);
        assert_eq!(op(">", &[t("int4"), None]).1, Ty::builtin("bool"));
        assert_eq!(op("+", &[t("int4"), t("int8")]).1, Ty::builtin("int8"));
        assert_eq!(
            op("+", &[t("timestamptz"), t("interval")]).1,
            Ty::builtin("timestamptz")
        );
        assert_eq!(op("-", &[t("date"), t("date")]).1, Ty::builtin("int4"));
        assert_eq!(op("||", &[t("text"), t("int4")]).1, Ty::builtin("text"));
        assert_eq!(op("->>", &[t("jsonb"), None]).1, Ty::builtin("text"));
        assert_eq!(op("->>", &[t("jsonb"), t("int4")]).1, Ty::builtin("text"));
        assert_eq!(op("->>", &[t("int4"), None]).0, Pick::None);
        assert_eq!(op("?", &[t("jsonb"), None]).1, Ty::builtin("bool"));
        assert_eq!(op("~~", &[t("varchar"), None]).1, Ty::builtin("bool"));
        assert_eq!(op("=", &[t("numeric"), t("float8")]).1, Ty::builtin("bool"));
        assert_eq!(op("-", &[t("text")]).0, Pick::None);
        assert_eq!(op("-", &[t("int4")]).1, Ty::builtin("int4"));
        assert_eq!(op("=", &[arr("int4"), arr("int4")]).1, Ty::builtin("bool"));
    }

    #[test]
    fn untyped_literals_are_read_as_the_type_the_operator_or_function_takes() {
        use crate::catalog::testing::run;
        let fails = [
            (
                "CREATE TABLE t (i int CHECK (i + 'x' > 0))",
                "invalid input syntax for type integer: \"x\"",
                33,
            ),
            (
                "CREATE TABLE t (i int CHECK ('x' = i))",
                "invalid input syntax for type integer: \"x\"",
                29,
            ),
            (
                "CREATE TABLE t (i int CHECK (i <> ALL ('{1,x}')))",
                "invalid input syntax for type integer: \"x\"",
                39,
            ),
            (
                "CREATE TABLE t (a text DEFAULT repeat('a', 'x'))",
                "invalid input syntax for type integer: \"x\"",
                43,
            ),
            (
                "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE t (m mood CHECK (CASE m WHEN 'no' THEN true END))",
                "invalid input value for enum mood: \"no\"",
                75,
            ),
        ];
        for (sql, want, at) in fails {
            let err = run(sql).expect_err(sql);
            assert_eq!(
                (err.sqlstate, err.message.as_str()),
                ("22P02", want),
                "{sql}"
            );
            assert_eq!(err.position, Some(at), "{sql}");
        }
        for sql in [
            "CREATE TABLE t (i int CHECK (i + '1' > 0 AND i = ANY ('{1,2}') AND i BETWEEN '1' AND '9'))",
            "CREATE TABLE t (s text CHECK (s ~ '^[a-z]+$' AND length(repeat(s, '3')) > 0))",
        ] {
            assert!(run(sql).is_ok(), "{sql}");
        }
    }

    #[test]
    fn errors_read_as_postgresql_writes_them() {
        use crate::catalog::testing::{message, run};
        let cases = [
            (
                "CREATE TABLE t (a text DEFAULT substr(1, 'x', true))",
                "function substr(integer, unknown, boolean) does not exist",
            ),
            (
                "CREATE TABLE t (a text DEFAULT upper('a', 'b'))",
                "function upper(unknown, unknown) does not exist",
            ),
            (
                "CREATE TABLE t (a int, b text CHECK (a > b))",
                "operator does not exist: integer > text",
            ),
            (
                "CREATE TABLE t (a int CHECK (a ->> 'x' <> ''))",
                "operator does not exist: integer ->> unknown",
            ),
            (
                "CREATE TABLE t (a text CHECK (- a < 0))",
                "operator does not exist: - text",
            ),
            (
                "CREATE TABLE t (a text CHECK (lower(length(a)) <> ''))",
                "function lower(integer) does not exist",
            ),
            (
                "CREATE TABLE t (a timestamptz DEFAULT now() + 1)",
                "operator does not exist: timestamp with time zone + integer",
            ),
            (
                "CREATE TABLE t (a int CHECK (a = ANY (ARRAY['x', 'y'])))",
                "operator does not exist: integer = text",
            ),
            (
                "CREATE TABLE t (a bool CHECK (a BETWEEN 1 AND 2))",
                "operator does not exist: boolean >= integer",
            ),
            (
                "CREATE TABLE t (a text DEFAULT pg_catalog.lower(1))",
                "function pg_catalog.lower(integer) does not exist",
            ),
            (
                "CREATE TABLE t (a int[] CHECK (a @> '{}'::text[]))",
                "operator does not exist: integer[] @> text[]",
            ),
            // A function no one defined, with its arguments' types.
            (
                "CREATE TABLE t (a text, b int CHECK (make_slug(a, b, 'x', 1.5, a::varchar(3)) > 0))",
                "function make_slug(text, integer, unknown, numeric, character varying) does not exist",
            ),
            (
                "CREATE TABLE t (a text, b int); CREATE INDEX ON t (lower2(a, b))",
                "function lower2(text, integer) does not exist",
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(message(sql), want, "{sql}");
        }
        let err = run("CREATE TABLE t (a text CHECK (- a < 0))").err();
        assert_eq!(
            err.and_then(|e| e.hint).as_deref(),
            Some(
                "No operator matches the given name and argument type. You might need to add an explicit type cast."
            )
        );
    }

    #[test]
    fn a_call_by_a_types_name_on_a_literal_is_a_cast() {
        use crate::catalog::testing::{message, run};
        let enum_ = "CREATE TYPE mood AS ENUM ('sad', 'ok');";
        for (sql, want) in [
            (
                "CREATE TABLE t (a int CHECK (a > int4('x')))".to_owned(),
                "invalid input syntax for type integer: \"x\"",
            ),
            (
                format!("{enum_} CREATE TABLE t (m mood DEFAULT mood('happy'))"),
                "invalid input value for enum mood: \"happy\"",
            ),
            (
                format!("{enum_} CREATE TABLE t (i int CHECK (mood(i) IS NOT NULL))"),
                "function mood(integer) does not exist",
            ),
        ] {
            assert_eq!(message(&sql), want, "{sql}");
        }
        let accepted = format!(
            "{enum_} CREATE TABLE t (s text, m mood DEFAULT mood('ok') CHECK (mood(s) <> m), n int DEFAULT int4('5'))"
        );
        assert!(run(&accepted).is_ok(), "{accepted}");
        // The cast is a use of the type.
        let drop =
            format!("{enum_} CREATE TABLE t (m text DEFAULT mood('ok')::text); DROP TYPE mood");
        assert!(
            message(&drop).starts_with("cannot drop type mood"),
            "{}",
            message(&drop)
        );
    }

    #[test]
    fn unmodelled_types_and_unsimulated_statements_are_not_judged() {
        use crate::catalog::testing::sqlstate;
        let accepted = [
            "CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x m[] CHECK (x = '{}' OR 'a' = ANY (x)))",
            "CREATE TYPE c AS (a int); CREATE TABLE t (x c CHECK (x = x OR (x).a > 0))",
            "CREATE TABLE t (x int CHECK (x > (x)::text::int))",
            "CREATE TABLE t (x int CHECK (row(x) IS NOT NULL))",
            "CREATE FUNCTION f(a text, b int) RETURNS bool LANGUAGE sql AS 'SELECT true'; \
             CREATE OPERATOR === (LEFTARG = text, RIGHTARG = int, FUNCTION = f); \
             CREATE TABLE t (x text CHECK (x > 1))",
            "CREATE EXTENSION btree_gist; CREATE TABLE t (x int CHECK ((x <-> 1) < 3))",
            "CREATE EXTENSION citext; CREATE TABLE t (x citext CHECK (lower(x) <> ''))",
        ];
        for sql in accepted {
            assert_eq!(sqlstate(sql), "ok", "{sql}");
        }
    }

    #[test]
    fn enums_reach_only_themselves_and_polymorphic_parameters() {
        let mood = Some(Actual::Enum(1));
        let tone = Some(Actual::Enum(2));
        assert_eq!(op("=", &[mood, None]).1, Ty::builtin("bool"));
        assert_eq!(op("<", &[mood, mood]).1, Ty::builtin("bool"));
        assert_eq!(op("=", &[mood, tone]).0, Pick::None);
        assert_eq!(op("=", &[mood, t("text")]).0, Pick::None);
        assert_eq!(op("||", &[mood, None]).1, Ty::builtin("text"));
        assert_eq!(func("lower", &[mood]).0, Pick::None);
        assert_eq!(func("enum_first", &[mood]).1, Ty::Known(Actual::Enum(1)));
        // Unknown literals alone do not make an enum.
        assert!(matches!(op("<", &[None, None]).0, Pick::One(_)));
    }

    #[test]
    fn domains_resolve_as_their_base_type() {
        let d = Actual::Domain(7, SigType::parse("int4"));
        let posint = Some(d);
        assert_eq!(op(">", &[posint, None]).1, Ty::builtin("bool"));
        assert_eq!(op("+", &[posint, t("numeric")]).1, Ty::builtin("numeric"));
        assert_eq!(op(">", &[posint, t("text")]).0, Pick::None);
        assert_eq!(func("abs", &[posint]).1, Ty::builtin("int4"));
        assert_eq!(common_type(&[d, d]), posint);
        assert_eq!(
            common_type(&[d, Actual::Builtin(SigType::parse("int8"))]),
            t("int8")
        );
    }

    #[test]
    fn in_lists_case_and_domain_checks_are_typed() {
        use crate::catalog::testing::{message, sqlstate};
        let cases = [
            (
                "CREATE TABLE t (a text CHECK (a IN (1, 2)))",
                "operator does not exist: text = integer",
            ),
            (
                "CREATE TABLE t (a int, b text, CHECK (a IN (1, b)))",
                "operator does not exist: integer = text",
            ),
            (
                "CREATE TABLE t (a text CHECK (CASE a WHEN 1 THEN true END))",
                "operator does not exist: text = integer",
            ),
            (
                "CREATE TABLE t (a int, b text, CHECK (CASE WHEN a > 0 THEN a ELSE b END IS NULL))",
                "CASE types text and integer cannot be matched",
            ),
            (
                "CREATE TABLE t (a timestamptz, b time, CHECK (CASE WHEN true THEN a ELSE b END IS NULL))",
                "CASE/WHEN could not convert type timestamp with time zone to time without time zone",
            ),
            (
                "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood CHECK (m = 'a'::text))",
                "operator does not exist: mood = text",
            ),
            (
                "CREATE DOMAIN d AS int; CREATE TABLE t (a d CHECK (a > 'x'::text))",
                "operator does not exist: d > text",
            ),
            // Untyped literals are read as the common type.
            (
                "CREATE TABLE t (a int CHECK (CASE WHEN a > 0 THEN 1 ELSE 'many' END > 0))",
                "invalid input syntax for type integer: \"many\"",
            ),
            (
                "CREATE TYPE mood AS ENUM ('a'); \
                 CREATE TABLE t (m mood, n mood, CHECK (m IN ('a', 'b', n)))",
                "invalid input value for enum mood: \"b\"",
            ),
            // A domain over an enum is no enum for `anyenum`.
            (
                "CREATE TYPE mood AS ENUM ('a'); CREATE DOMAIN dm AS mood; \
                 CREATE TABLE t (m dm CHECK (m = 'a'))",
                "operator does not exist: dm = unknown",
            ),
            (
                "CREATE DOMAIN d AS text CHECK (VALUE IN (1, 2))",
                "operator does not exist: text = integer",
            ),
            (
                "CREATE TABLE t (id int); CREATE POLICY p ON t USING (id = 'x'::text)",
                "operator does not exist: integer = text",
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(message(sql), want, "{sql}");
        }
        let accepted = [
            "CREATE TABLE t (a int CHECK (a IN (1, 2.5)), b varchar CHECK (b IN ('x', 'y'::text)))",
            "CREATE TYPE mood AS ENUM ('a', 'b'); \
             CREATE TABLE t (m mood, n mood, CHECK (m IN ('a', n)), CHECK (CASE m WHEN 'a' THEN m ELSE n END = 'b'))",
            "CREATE DOMAIN d AS int; CREATE DOMAIN e AS d; \
             CREATE TABLE t (a d, b e, CHECK (a + b > 1.5), CHECK (coalesce(a, b) IN (1, 2)))",
            "CREATE TYPE mood AS ENUM ('a'); CREATE DOMAIN dm AS mood; \
             CREATE TABLE t (m dm, n mood CHECK (m::mood = 'a' AND m || 'x' <> '' \
             AND CASE WHEN true THEN m ELSE n END = 'a'))",
            "CREATE DOMAIN code AS text CHECK (length(VALUE) < 5 AND VALUE ~ '^x')",
            "CREATE TABLE t (id int, owner text); \
             CREATE POLICY p ON t USING (owner = current_user AND id IN (1, 2))",
        ];
        for sql in accepted {
            assert_eq!(sqlstate(sql), "ok", "{sql}");
        }
    }

    #[test]
    fn common_types_follow_categories() {
        let b = |n| Actual::Builtin(SigType::parse(n));
        assert_eq!(common_type(&[b("int4"), b("int8")]), t("int8"));
        assert_eq!(common_type(&[b("int4"), b("text")]), None);
        assert_eq!(common_type(&[b("float8"), b("numeric")]), t("float8"));
    }
}
