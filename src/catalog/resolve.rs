//! Which built-in function or operator a call reaches, from the types of
//! its arguments, as PostgreSQL's parser chooses: `func_get_detail` and
//! `func_select_candidate` (parse_func.c), `oper` and
//! `oper_select_candidate` (parse_oper.c), `can_coerce_type` and
//! `check_generic_type_consistency` (parse_coerce.c).
//!
//! Only built-in types take part. An argument of any other type (a
//! domain, an enum, a composite or extension type) or of a type migsim
//! cannot tell is [`Ty::Opaque`], and a call with such an argument is not
//! judged: refusing what PostgreSQL accepts is worse than missing an error.
//! Where PostgreSQL would find the call ambiguous, no error is raised either.

use pg_query::NodeEnum;
use pg_query::protobuf::{AConst, AExpr, AExprKind, FuncCall, Node};

use super::Catalog;
use super::builtins::{BUILTINS, CastContext, FunctionInfo, OperatorInfo, SigType};
use super::error::{PgError, PgResult, code};
use super::expr;
use super::names::{qual_from_list, str_of};
use super::types::{ColType, TypeRef};

/// The type of an argument, as far as resolution is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// An untyped literal (a quoted string or NULL): `unknown`.
    Unknown,
    /// A built-in type, or an array of one.
    Known(SigType),
    /// Anything else: calls with it are not judged.
    Opaque,
}

impl Ty {
    pub fn builtin(name: &'static str) -> Ty {
        Ty::Known(SigType { name, array: false })
    }

    /// A built-in `typname` as a result type: base, range and multirange
    /// types and arrays of them; pseudo-types and sets are opaque.
    pub fn from_typname(typname: &'static str) -> Ty {
        if typname.starts_with("setof ") {
            return Ty::Opaque;
        }
        let t = SigType::parse(typname);
        match BUILTINS.builtin_type(t.name) {
            Some(b) if matches!(b.kind, 'b' | 'r' | 'm') => Ty::Known(t),
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
pub fn select_function(args: &[Option<SigType>], cands: &[Cand], type_name_call: bool) -> Pick {
    if let Some(i) = cands.iter().position(|c| exact(args, c)) {
        return Pick::One(i);
    }
    if type_name_call {
        return Pick::Many;
    }
    match_and_select(args, cands)
}

/// `oper`: an exact match first (an unknown operand of a binary operator
/// taken as the other's type), then `oper_select_candidate`.
pub fn select_operator(args: &[Option<SigType>], cands: &[Cand]) -> Pick {
    let probe: Vec<Option<SigType>> = match args {
        [None, Some(r)] => vec![Some(*r), Some(*r)],
        [Some(l), None] => vec![Some(*l), Some(*l)],
        _ => args.to_vec(),
    };
    if let Some(i) = cands.iter().position(|c| exact(&probe, c)) {
        return Pick::One(i);
    }
    match_and_select(args, cands)
}

fn exact(args: &[Option<SigType>], c: &Cand) -> bool {
    args.iter()
        .enumerate()
        .all(|(i, a)| a.is_some_and(|a| a == c.arg(i)))
}

/// `func_match_argtypes`, then `func_select_candidate` when several remain.
fn match_and_select(args: &[Option<SigType>], cands: &[Cand]) -> Pick {
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
fn can_coerce_args(args: &[Option<SigType>], c: &Cand) -> bool {
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
            Some(from) if can_coerce(*from, target) => continue,
            Some(_) => return false,
        }
    }
    !generic || generic_consistent(args, c)
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
        let elem = |t: SigType| SigType {
            name: t.name,
            array: false,
        };
        return can_coerce(elem(from), elem(to));
    }
    false
}

/// `check_generic_type_consistency`: the polymorphic parameters must agree
/// on one element type (`anyelement` family) and have a common type
/// (`anycompatible` family). Range parameters are taken as consistent
/// whenever given a range: migsim does not know ranges' subtypes, and a
/// candidate kept too many is the safe side.
fn generic_consistent(args: &[Option<SigType>], c: &Cand) -> bool {
    let mut elem: Option<SigType> = None;
    let mut array: Option<SigType> = None;
    let (mut nonarray, mut is_enum, mut compat_nonarray) = (false, false, false);
    let mut compat: Vec<SigType> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let decl = c.arg(i);
        if !is_polymorphic(decl) {
            continue;
        }
        let Some(actual) = *a else { continue };
        match decl.name {
            "anyelement" | "anynonarray" | "anyenum" => {
                nonarray |= decl.name == "anynonarray";
                is_enum |= decl.name == "anyenum";
                if elem.is_some_and(|e| e != actual) {
                    return false;
                }
                elem = Some(actual);
            }
            "anyarray" => {
                if array.is_some_and(|e| e != actual) {
                    return false;
                }
                array = Some(actual);
            }
            "anycompatible" | "anycompatiblenonarray" => {
                compat_nonarray |= decl.name == "anycompatiblenonarray";
                compat.push(actual);
            }
            "anycompatiblearray" => {
                if !actual.array {
                    return false;
                }
                compat.push(SigType {
                    name: actual.name,
                    array: false,
                });
            }
            // anyrange, anymultirange and their anycompatible forms.
            _ => {
                let kind = BUILTINS.builtin_type(actual.name).map(|t| t.kind);
                if actual.array || !matches!(kind, Some('r' | 'm')) {
                    return false;
                }
            }
        }
    }
    if let Some(arr) = array {
        if !arr.array {
            return false;
        }
        let e = SigType {
            name: arr.name,
            array: false,
        };
        if elem.is_some_and(|x| x != e) {
            return false;
        }
        elem = Some(e);
    }
    if nonarray && elem.is_some_and(|e| e.array) {
        return false;
    }
    // No built-in type is an enum.
    if is_enum && elem.is_some() {
        return false;
    }
    if !compat.is_empty() {
        let Some(common) = common_type(&compat) else {
            return false;
        };
        if !compat.iter().all(|t| can_coerce(*t, common)) {
            return false;
        }
        if compat_nonarray && common.array {
            return false;
        }
    }
    true
}

/// `select_common_type_from_oids` over known types: the first type,
/// replaced by a later one of its category it coerces to implicitly (and
/// not back) unless it is the category's preferred type; `None` across
/// categories.
pub fn common_type(types: &[SigType]) -> Option<SigType> {
    let (&first, rest) = types.split_first()?;
    if rest.iter().all(|t| *t == first) {
        return Some(first);
    }
    let mut p = first;
    let (mut pcat, mut ppref) = BUILTINS.category_preferred(p);
    for &n in rest {
        if n == p {
            continue;
        }
        let (ncat, npref) = BUILTINS.category_preferred(n);
        if ncat != pcat {
            return None;
        }
        if !ppref && can_coerce(p, n) && !can_coerce(n, p) {
            (p, pcat, ppref) = (n, ncat, npref);
        }
    }
    Some(p)
}

/// `func_select_candidate`: most exact matches, then most exact or
/// preferred-type matches within the argument's category, then categories
/// for the unknown arguments (string wins), then unknowns taken as the one
/// known type. `None` when still not unique.
fn select_candidate(args: &[Option<SigType>], cands: &[Cand], from: &[usize]) -> Option<usize> {
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
            .filter(|&i| args[i].is_some_and(|a| a == c.arg(i)))
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
                    let (cat, _) = BUILTINS.category_preferred(a);
                    let (tcat, tpref) = BUILTINS.category_preferred(t);
                    a == t || (tcat == cat && tpref)
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
pub fn result_type(args: &[Option<SigType>], c: &Cand) -> Ty {
    let ret = c.returns;
    if ret.starts_with("setof ") {
        return Ty::Opaque;
    }
    let r = SigType::parse(ret);
    if !is_polymorphic(r) {
        return Ty::from_typname(ret);
    }
    let mut elem: Option<SigType> = None;
    let mut compat: Vec<SigType> = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let Some(actual) = *a else { continue };
        let decl = c.arg(i);
        let element = SigType {
            name: actual.name,
            array: false,
        };
        match decl.name {
            _ if decl.array => {}
            "anyelement" | "anynonarray" => elem = elem.or(Some(actual)),
            "anyarray" if actual.array => elem = elem.or(Some(element)),
            "anycompatible" | "anycompatiblenonarray" => compat.push(actual),
            "anycompatiblearray" if actual.array => compat.push(element),
            _ => {}
        }
    }
    let array_of = |t: SigType| {
        if t.array {
            Ty::Opaque
        } else {
            Ty::Known(SigType {
                name: t.name,
                array: true,
            })
        }
    };
    match r.name {
        "anyelement" | "anynonarray" => elem.map_or(Ty::Opaque, Ty::Known),
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

impl Catalog {
    /// Raises PostgreSQL's "function ... does not exist" / "operator does
    /// not exist" where an expression calls a built-in function or operator
    /// with arguments no overload accepts. Column references take their
    /// types from `columns`.
    pub(crate) fn check_expression_types(&self, e: &Node, columns: ColumnTypes) -> PgResult<()> {
        // Something migsim did not model may have created operators,
        // functions or casts: nothing is judged then.
        if self.unmodelled_overloads || self.has_unknown_extension() {
            return Ok(());
        }
        self.type_of(e, columns).map(|_| ())
    }

    /// A column type as resolution sees it: built-in base, range and
    /// multirange types and arrays of them; anything else is opaque.
    fn ty_of(&self, t: &ColType) -> Ty {
        match t.base {
            TypeRef::Builtin(n) => match BUILTINS.builtin_type(n) {
                Some(b) if matches!(b.kind, 'b' | 'r' | 'm') => Ty::Known(SigType {
                    name: b.name,
                    array: t.array,
                }),
                _ => Ty::Opaque,
            },
            _ => Ty::Opaque,
        }
    }

    /// The type of an expression, raising resolution errors of the calls
    /// inside it bottom-up and left to right, as parse analysis meets them.
    fn type_of(&self, n: &Node, columns: ColumnTypes) -> PgResult<Ty> {
        let Some(node) = n.node.as_ref() else {
            return Ok(Ty::Opaque);
        };
        Ok(match node {
            NodeEnum::AConst(c) => const_type(c),
            NodeEnum::TypeCast(tc) => {
                if let Some(arg) = tc.arg.as_deref() {
                    self.type_of(arg, columns)?;
                }
                tc.type_name
                    .as_ref()
                    .and_then(|tn| self.resolve_type(tn).ok())
                    .map_or(Ty::Opaque, |t| self.ty_of(&t))
            }
            // `a` or `t.a`; `t.*` and longer names are left alone.
            NodeEnum::ColumnRef(c) if matches!(c.fields.len(), 1 | 2) => c
                .fields
                .last()
                .and_then(str_of)
                .and_then(columns)
                .map_or(Ty::Opaque, |t| self.ty_of(&t)),
            NodeEnum::CollateClause(c) => match c.arg.as_deref() {
                Some(arg) => self.type_of(arg, columns)?,
                None => Ty::Opaque,
            },
            NodeEnum::SqlvalueFunction(_) => match expr::literal_type(n) {
                Some(Some(t)) => self.ty_of(&t),
                _ => Ty::Opaque,
            },
            NodeEnum::BoolExpr(b) => {
                for a in &b.args {
                    self.type_of(a, columns)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::NullTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.type_of(a, columns)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::BooleanTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.type_of(a, columns)?;
                }
                Ty::builtin("bool")
            }
            NodeEnum::CoalesceExpr(c) => {
                let tys = self.types_of(&c.args, columns)?;
                common_of(&tys)
            }
            NodeEnum::MinMaxExpr(m) => {
                let tys = self.types_of(&m.args, columns)?;
                common_of(&tys)
            }
            NodeEnum::CaseExpr(c) => {
                if let Some(a) = c.arg.as_deref() {
                    self.type_of(a, columns)?;
                }
                let mut results = Vec::with_capacity(c.args.len() + 1);
                for w in &c.args {
                    if let Some(NodeEnum::CaseWhen(w)) = w.node.as_ref() {
                        if let Some(cond) = w.expr.as_deref() {
                            self.type_of(cond, columns)?;
                        }
                        if let Some(r) = w.result.as_deref() {
                            results.push(self.type_of(r, columns)?);
                        }
                    }
                }
                match c.defresult.as_deref() {
                    Some(d) => results.push(self.type_of(d, columns)?),
                    // No ELSE: NULL, an unknown.
                    None => results.push(Ty::Unknown),
                }
                common_of(&results)
            }
            NodeEnum::AArrayExpr(a) => {
                let tys = self.types_of(&a.elements, columns)?;
                match common_of(&tys) {
                    Ty::Known(t) if !t.array && !tys.is_empty() => Ty::Known(SigType {
                        name: t.name,
                        array: true,
                    }),
                    _ => Ty::Opaque,
                }
            }
            NodeEnum::FuncCall(fc) => self.call_type(fc, columns)?,
            NodeEnum::AExpr(a) => self.aexpr_type(a, columns)?,
            _ => Ty::Opaque,
        })
    }

    fn types_of(&self, list: &[Node], columns: ColumnTypes) -> PgResult<Vec<Ty>> {
        list.iter().map(|a| self.type_of(a, columns)).collect()
    }

    /// A function call: its arguments' types, then the overload chosen.
    fn call_type(&self, fc: &FuncCall, columns: ColumnTypes) -> PgResult<Ty> {
        let tys = self.types_of(&fc.args, columns)?;
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
            Pick::One(i) => Ok(result_type(&args, &cands[i])),
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
    fn aexpr_type(&self, a: &AExpr, columns: ColumnTypes) -> PgResult<Ty> {
        use AExprKind as K;
        let kind = AExprKind::try_from(a.kind).unwrap_or(K::Undefined);
        let left = match a.lexpr.as_deref() {
            Some(l) => Some(self.type_of(l, columns)?),
            None => None,
        };
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
                    Some(r) => self.type_of(r, columns)?,
                    None => Ty::Opaque,
                };
                let Some(name) = name else {
                    return Ok(Ty::Opaque);
                };
                let result = self.operator_type(name, left, right, a.location)?;
                Ok(match kind {
                    K::AexprOp | K::AexprLike | K::AexprIlike | K::AexprSimilar => result,
                    K::AexprNullif => left.unwrap_or(Ty::Opaque),
                    _ => bool_ty,
                })
            }
            K::AexprOpAny | K::AexprOpAll => {
                let right = match a.rexpr.as_deref() {
                    Some(r) => self.type_of(r, columns)?,
                    None => Ty::Opaque,
                };
                // The operator takes the array's element type (an untyped
                // literal stays unknown).
                let elem = match right {
                    Ty::Known(t) if t.array => Ty::Known(SigType {
                        name: t.name,
                        array: false,
                    }),
                    Ty::Unknown => Ty::Unknown,
                    _ => Ty::Opaque,
                };
                if let Some(name) = name {
                    self.operator_type(name, left, elem, a.location)?;
                }
                Ok(bool_ty)
            }
            K::AexprBetween | K::AexprNotBetween | K::AexprBetweenSym | K::AexprNotBetweenSym => {
                let bounds = match a.rexpr.as_deref().and_then(|r| r.node.as_ref()) {
                    Some(NodeEnum::List(l)) => self.types_of(&l.items, columns)?,
                    _ => Vec::new(),
                };
                let (lo_op, hi_op) = match kind {
                    K::AexprBetween | K::AexprBetweenSym => (">=", "<="),
                    _ => ("<", ">"),
                };
                if let [lo, hi] = bounds.as_slice() {
                    self.operator_type(lo_op, left, *lo, a.location)?;
                    self.operator_type(hi_op, left, *hi, a.location)?;
                }
                Ok(bool_ty)
            }
            _ => {
                // IN lists: PostgreSQL may compare through an array or
                // element by element; only nested calls are checked.
                if let Some(r) = a.rexpr.as_deref() {
                    match r.node.as_ref() {
                        Some(NodeEnum::List(l)) => {
                            self.types_of(&l.items, columns)?;
                        }
                        _ => {
                            self.type_of(r, columns)?;
                        }
                    }
                }
                Ok(if kind == K::AexprIn {
                    bool_ty
                } else {
                    Ty::Opaque
                })
            }
        }
    }

    /// The result of `left name right` (prefix when `left` is `None`), or
    /// "operator does not exist" when no built-in operator takes them.
    fn operator_type(
        &self,
        name: &str,
        left: Option<Ty>,
        right: Ty,
        location: i32,
    ) -> PgResult<Ty> {
        if !self.only_builtin_operator(name) {
            return Ok(Ty::Opaque);
        }
        let tys: Vec<Ty> = left.into_iter().chain([right]).collect();
        let Some(args) = known_args(&tys) else {
            return Ok(Ty::Opaque);
        };
        let cands = operator_candidates(BUILTINS.operators(name), left.is_none());
        match select_operator(&args, &cands) {
            Pick::One(i) => Ok(result_type(&args, &cands[i])),
            Pick::Many => Ok(Ty::Opaque),
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
        fc.args
            .iter()
            .map(|a| match self.type_of(a, columns) {
                Ok(Ty::Known(t)) => Some(self.sig_display(Some(t))),
                Ok(Ty::Unknown) => Some("unknown".into()),
                _ => None,
            })
            .collect()
    }

    /// A type as `format_type_be` prints it in these messages.
    fn sig_display(&self, t: Option<SigType>) -> String {
        match t {
            None => "unknown".into(),
            Some(t) => {
                let mut c = ColType::builtin(t.name);
                c.array = t.array;
                self.type_display(&c)
            }
        }
    }
}

/// Argument types for resolution: `None` for an unknown literal; `None`
/// overall when any argument is opaque.
fn known_args(tys: &[Ty]) -> Option<Vec<Option<SigType>>> {
    tys.iter()
        .map(|t| match t {
            Ty::Unknown => Some(None),
            Ty::Known(s) => Some(Some(*s)),
            Ty::Opaque => None,
        })
        .collect()
}

/// The type `select_common_type` gives a list (COALESCE, CASE, ARRAY[]):
/// text when all are unknown literals, opaque when unsure.
fn common_of(tys: &[Ty]) -> Ty {
    let Some(args) = known_args(tys) else {
        return Ty::Opaque;
    };
    let known: Vec<SigType> = args.into_iter().flatten().collect();
    if known.is_empty() {
        return Ty::builtin("text");
    }
    common_type(&known).map_or(Ty::Opaque, Ty::Known)
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

    fn t(name: &'static str) -> Option<SigType> {
        Some(SigType { name, array: false })
    }

    fn arr(name: &'static str) -> Option<SigType> {
        Some(SigType { name, array: true })
    }

    fn func(name: &str, args: &[Option<SigType>]) -> (Pick, Ty) {
        let fs = BUILTINS.functions(name).unwrap_or(&[]);
        let cands = function_candidates(fs, args.len());
        let pick = select_function(args, &cands, false);
        let ty = match pick {
            Pick::One(i) => result_type(args, &cands[i]),
            _ => Ty::Opaque,
        };
        (pick, ty)
    }

    fn op(name: &str, args: &[Option<SigType>]) -> (Pick, Ty) {
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
            Ty::Known(SigType {
                name: "int4",
                array: true
            })
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
    fn unknown_types_and_unsimulated_statements_are_not_judged() {
        use crate::catalog::testing::sqlstate;
        let accepted = [
            "CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x m CHECK (x > 'a'))",
            "CREATE DOMAIN d AS text; CREATE TABLE t (x d CHECK (x <> ''))",
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
    fn common_types_follow_categories() {
        assert_eq!(
            common_type(&[t("int4").unwrap(), t("int8").unwrap()]),
            t("int8")
        );
        assert_eq!(common_type(&[t("int4").unwrap(), t("text").unwrap()]), None);
        assert_eq!(
            common_type(&[t("float8").unwrap(), t("numeric").unwrap()]),
            t("float8")
        );
    }
}
