//! Operators, comparisons, subscripts, iteration and exception matching.

use std::cmp::Ordering;
use std::sync::Arc;

use ruff_python_ast::{CmpOp, Operator, UnaryOp};
use ruff_text_size::TextRange;

use super::objects::Obj;
use super::strings::{self, StrBuf, StrError};
use super::{Abort, Eval, Evaluator};
use crate::python::host::{Access, PyException};
use crate::python::value::{Call, Callee, Symbol, Value};

/// Python `==` for values whose equality is decidable.
pub(crate) fn py_eq(a: &Value, b: &Value) -> Option<bool> {
    use Value as V;
    Some(match (a, b) {
        (V::Unknown(_), _) | (_, V::Unknown(_)) => return None,
        (V::Call(_), _) | (_, V::Call(_)) => return None,
        (V::Symbol(x), V::Symbol(y)) => {
            if x.path == y.path {
                true
            } else {
                return None;
            }
        }
        (V::Symbol(_), _) | (_, V::Symbol(_)) => return None,
        (V::None, V::None) => true,
        (V::None, _) | (_, V::None) => false,
        (V::Str(x), V::Str(y)) => x.value == y.value,
        (V::Bytes(x), V::Bytes(y)) => x == y,
        (V::Int(_) | V::Bool(_), V::Int(_) | V::Bool(_)) => a.as_int() == b.as_int(),
        (V::Float(x), V::Float(y)) => x == y,
        (V::Float(x), V::Int(_) | V::Bool(_)) | (V::Int(_) | V::Bool(_), V::Float(x)) => {
            let i = if let V::Float(_) = a {
                b.as_int()
            } else {
                a.as_int()
            };
            i.is_some_and(|i| i as f64 == *x)
        }
        (V::List(x), V::List(y)) | (V::Tuple(x), V::Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (p, q) in x.iter().zip(y) {
                match py_eq(p, q) {
                    Some(true) => {}
                    Some(false) => return Some(false),
                    None => all = false,
                }
            }
            if all {
                true
            } else {
                return None;
            }
        }
        (V::Set(x), V::Set(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for p in x {
                match contains(y, p) {
                    Some(true) => {}
                    other => return other,
                }
            }
            true
        }
        (V::Dict(x), V::Dict(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (k, v) in x {
                match y.iter().find(|(k2, _)| py_eq(k, k2) == Some(true)) {
                    Some((_, v2)) => match py_eq(v, v2) {
                        Some(true) => {}
                        other => return other,
                    },
                    None => return Some(false),
                }
            }
            true
        }
        (V::Host(x), V::Host(y)) => x == y,
        (V::Object(x), V::Object(y)) => {
            match (
                x.as_any().downcast_ref::<Obj>(),
                y.as_any().downcast_ref::<Obj>(),
            ) {
                (Some(Obj::EnumMember(m)), Some(Obj::EnumMember(n))) => {
                    m.class_id == n.class_id && m.name == n.name
                }
                (Some(Obj::Instance(i)), Some(Obj::Instance(j))) => {
                    if Arc::ptr_eq(i, j) {
                        true
                    } else if !matches!(i.class.lookup("__eq__"), super::objects::Lookup::Missing) {
                        return None;
                    } else {
                        false
                    }
                }
                _ => Arc::ptr_eq(x, y),
            }
        }
        (V::Object(o), other) | (other, V::Object(o)) => {
            match o.as_any().downcast_ref::<Obj>() {
                // `class Color(str, Enum)`: members compare equal to their value.
                // `class Color(str, Enum)`: members compare equal to their
                // value; plain `Enum` members never equal a str or int.
                Some(Obj::EnumMember(m)) => {
                    if m.mixin {
                        return py_eq(&m.value, other);
                    }
                    false
                }
                Some(Obj::Instance(i)) => {
                    if !matches!(i.class.lookup("__eq__"), super::objects::Lookup::Missing) {
                        return None;
                    }
                    false
                }
                _ => false,
            }
        }
        _ => false,
    })
}

/// `needle in items` by equality.
pub(crate) fn contains(items: &[Value], needle: &Value) -> Option<bool> {
    let mut undecided = false;
    for i in items {
        match py_eq(i, needle) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => undecided = true,
        }
    }
    if undecided { None } else { Some(false) }
}

/// Python ordering of known values (`<`), `None` when undecidable,
/// `Err(())` when Python raises TypeError.
fn py_cmp(a: &Value, b: &Value) -> Result<Option<Ordering>, ()> {
    use Value as V;
    Ok(match (a, b) {
        (V::Int(_) | V::Bool(_), V::Int(_) | V::Bool(_)) => a.as_int().partial_cmp(&b.as_int()),
        (V::Float(x), V::Float(y)) => x.partial_cmp(y),
        (V::Float(x), V::Int(_) | V::Bool(_)) => x.partial_cmp(&(b.as_int().unwrap_or(0) as f64)),
        (V::Int(_) | V::Bool(_), V::Float(y)) => (a.as_int().unwrap_or(0) as f64).partial_cmp(y),
        (V::Str(x), V::Str(y)) => Some(x.value.cmp(&y.value)),
        (V::Bytes(x), V::Bytes(y)) => Some(x.cmp(y)),
        (V::List(x), V::List(y)) | (V::Tuple(x), V::Tuple(y)) => {
            for (p, q) in x.iter().zip(y) {
                match py_eq(p, q) {
                    Some(true) => continue,
                    Some(false) => return py_cmp(p, q),
                    None => return Ok(None),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        (V::Unknown(_) | V::Symbol(_) | V::Call(_) | V::Host(_) | V::Object(_), _)
        | (_, V::Unknown(_) | V::Symbol(_) | V::Call(_) | V::Host(_) | V::Object(_)) => None,
        _ => return Err(()),
    })
}

fn op_name(op: Operator) -> (&'static str, &'static str) {
    match op {
        Operator::Add => ("add", "+"),
        Operator::Sub => ("sub", "-"),
        Operator::Mult => ("mul", "*"),
        Operator::MatMult => ("matmul", "@"),
        Operator::Div => ("truediv", "/"),
        Operator::Mod => ("mod", "%"),
        Operator::Pow => ("pow", "**"),
        Operator::LShift => ("lshift", "<<"),
        Operator::RShift => ("rshift", ">>"),
        Operator::BitOr => ("or_", "|"),
        Operator::BitXor => ("xor", "^"),
        Operator::BitAnd => ("and_", "&"),
        Operator::FloorDiv => ("floordiv", "//"),
    }
}

fn is_symbolic(v: &Value) -> bool {
    matches!(v, Value::Symbol(_) | Value::Call(_) | Value::Host(_))
}

impl Evaluator<'_> {
    /// `t.c.id == x` where `x` is not known: SQLAlchemy makes the value a
    /// bound parameter of the expression, so the expression stays
    /// symbolic with the unknown value as its operand (which only a
    /// statement sent with parameters can carry).
    fn sql_with_unknown(
        &self,
        name: &str,
        l: &Value,
        r: &Value,
        range: TextRange,
    ) -> Option<Value> {
        let sql = |v: &Value| root_library(v) == Some("sqlalchemy");
        let unknown = |v: &Value| matches!(v, Value::Unknown(_));
        ((sql(l) && unknown(r)) || (unknown(l) && sql(r)))
            .then(|| self.symbolic_op(name, vec![l.clone(), r.clone()], range))
    }

    /// A symbolic operator application (`operator.eq(a, b)`).
    pub(crate) fn symbolic_op(&self, name: &str, args: Vec<Value>, range: TextRange) -> Value {
        Value::Call(Arc::new(Call {
            callee: Callee::Symbol(Symbol::new(format!("operator.{name}"))),
            args,
            kwargs: Vec::new(),
            loc: self.loc(range),
        }))
    }

    fn type_error_operands(&self, sym: &str, l: &Value, r: &Value, range: TextRange) -> Abort {
        self.raise(
            "TypeError",
            format!(
                "unsupported operand type(s) for {sym}: '{}' and '{}'",
                l.type_name(),
                r.type_name()
            ),
            range,
        )
    }

    pub(crate) fn binop(&mut self, op: Operator, l: Value, r: Value, range: TextRange) -> Eval {
        use Value as V;
        let (name, sym) = op_name(op);
        if let Some(e) = self.sql_with_unknown(name, &l, &r, range) {
            return Ok(e);
        }
        if let V::Unknown(_) = l {
            return Ok(l);
        }
        if let V::Unknown(_) = r {
            return Ok(r);
        }
        // `"..." % x` formats even when x is a container of known values.
        if let (Operator::Mod, V::Str(fmt)) = (op, &l) {
            if is_symbolic(&r) {
                return Ok(self.unknown(
                    format!("`%` formatting with {}", super::describe_unknown(&r)),
                    range,
                ));
            }
            return match strings::percent_format(fmt, &r) {
                Ok(s) => Ok(V::Str(s)),
                Err(StrError::Unknown(reason)) => Ok(self.unknown(reason, range)),
                Err(StrError::Raise(class, msg)) => Err(self.raise(class, msg, range)),
            };
        }
        if is_symbolic(&l) || is_symbolic(&r) {
            return Ok(self.symbolic_op(name, vec![l, r], range));
        }
        if matches!(l, V::Object(_)) || matches!(r, V::Object(_)) {
            return Ok(self.unknown(
                format!("operator `{sym}` on project objects is not modelled"),
                range,
            ));
        }
        let overflow = |ev: &Self| ev.unknown("integer result beyond 64 bits", range);
        match (&l, &r) {
            (V::Int(_) | V::Bool(_), V::Int(_) | V::Bool(_)) => {
                let (a, b) = (l.as_int().unwrap_or(0), r.as_int().unwrap_or(0));
                let res = match op {
                    Operator::Add => a.checked_add(b),
                    Operator::Sub => a.checked_sub(b),
                    Operator::Mult => a.checked_mul(b),
                    Operator::Div => {
                        if b == 0 {
                            return Err(self.raise("ZeroDivisionError", "division by zero", range));
                        }
                        return Ok(V::Float(a as f64 / b as f64));
                    }
                    Operator::FloorDiv | Operator::Mod => {
                        if b == 0 {
                            let msg = if op == Operator::Mod {
                                "integer modulo by zero"
                            } else {
                                "integer division or modulo by zero"
                            };
                            return Err(self.raise("ZeroDivisionError", msg, range));
                        }
                        // Python floors toward negative infinity.
                        match (a.checked_div(b), a.checked_rem(b)) {
                            (Some(q), Some(m)) => {
                                let (q, m) = if m != 0 && ((m < 0) != (b < 0)) {
                                    (q - 1, m + b)
                                } else {
                                    (q, m)
                                };
                                Some(if op == Operator::FloorDiv { q } else { m })
                            }
                            _ => None,
                        }
                    }
                    Operator::Pow => {
                        if b < 0 {
                            return Ok(V::Float((a as f64).powf(b as f64)));
                        }
                        u32::try_from(b).ok().and_then(|e| a.checked_pow(e))
                    }
                    Operator::LShift => {
                        if b < 0 {
                            return Err(self.raise("ValueError", "negative shift count", range));
                        }
                        u32::try_from(b)
                            .ok()
                            .filter(|s| *s < 63)
                            .and_then(|s| a.checked_mul(1i64 << s))
                    }
                    Operator::RShift => {
                        if b < 0 {
                            return Err(self.raise("ValueError", "negative shift count", range));
                        }
                        Some(if b >= 64 {
                            if a < 0 { -1 } else { 0 }
                        } else {
                            a >> b
                        })
                    }
                    Operator::BitOr => {
                        if let (V::Bool(x), V::Bool(y)) = (&l, &r) {
                            return Ok(V::Bool(*x | *y));
                        }
                        Some(a | b)
                    }
                    Operator::BitAnd => {
                        if let (V::Bool(x), V::Bool(y)) = (&l, &r) {
                            return Ok(V::Bool(*x & *y));
                        }
                        Some(a & b)
                    }
                    Operator::BitXor => {
                        if let (V::Bool(x), V::Bool(y)) = (&l, &r) {
                            return Ok(V::Bool(*x ^ *y));
                        }
                        Some(a ^ b)
                    }
                    Operator::MatMult => return Err(self.type_error_operands(sym, &l, &r, range)),
                };
                Ok(res.map(V::Int).unwrap_or_else(|| overflow(self)))
            }
            (V::Float(_) | V::Int(_) | V::Bool(_), V::Float(_) | V::Int(_) | V::Bool(_)) => {
                let f = |v: &Value| match v {
                    V::Float(f) => *f,
                    other => other.as_int().unwrap_or(0) as f64,
                };
                let (a, b) = (f(&l), f(&r));
                Ok(V::Float(match op {
                    Operator::Add => a + b,
                    Operator::Sub => a - b,
                    Operator::Mult => a * b,
                    Operator::Div | Operator::FloorDiv | Operator::Mod if b == 0.0 => {
                        return Err(self.raise(
                            "ZeroDivisionError",
                            "float division by zero",
                            range,
                        ));
                    }
                    Operator::Div => a / b,
                    Operator::FloorDiv => (a / b).floor(),
                    Operator::Mod => a - b * (a / b).floor(),
                    Operator::Pow => a.powf(b),
                    _ => return Err(self.type_error_operands(sym, &l, &r, range)),
                }))
            }
            (V::Str(a), V::Str(b)) if op == Operator::Add => {
                let mut buf = StrBuf::new();
                buf.push(a);
                buf.push(b);
                Ok(V::Str(buf.finish()))
            }
            (V::Str(s), V::Int(n)) | (V::Int(n), V::Str(s)) if op == Operator::Mult => {
                let n = (*n).max(0) as usize;
                if s.value.len().saturating_mul(n) > 10_000_000 {
                    return Ok(self.unknown("string too large", range));
                }
                let mut buf = StrBuf::new();
                for _ in 0..n {
                    buf.push(s);
                }
                Ok(V::Str(buf.finish()))
            }
            (V::Bytes(a), V::Bytes(b)) if op == Operator::Add => {
                let mut v = a.to_vec();
                v.extend_from_slice(b);
                Ok(V::Bytes(v.into()))
            }
            (V::List(a), V::List(b)) if op == Operator::Add => {
                let mut v = a.clone();
                v.extend(b.iter().cloned());
                Ok(V::List(v))
            }
            (V::Tuple(a), V::Tuple(b)) if op == Operator::Add => {
                let mut v = a.clone();
                v.extend(b.iter().cloned());
                Ok(V::Tuple(v))
            }
            (V::List(a), V::Int(n)) | (V::Int(n), V::List(a)) if op == Operator::Mult => {
                let n = (*n).max(0) as usize;
                if a.len().saturating_mul(n) > 1_000_000 {
                    return Ok(self.unknown("list too large", range));
                }
                Ok(V::List(
                    a.iter().cloned().cycle().take(a.len() * n).collect(),
                ))
            }
            (V::Tuple(a), V::Int(n)) | (V::Int(n), V::Tuple(a)) if op == Operator::Mult => {
                let n = (*n).max(0) as usize;
                if a.len().saturating_mul(n) > 1_000_000 {
                    return Ok(self.unknown("tuple too large", range));
                }
                Ok(V::Tuple(
                    a.iter().cloned().cycle().take(a.len() * n).collect(),
                ))
            }
            (V::Dict(a), V::Dict(b)) if op == Operator::BitOr => {
                let mut out = a.clone();
                for (k, v) in b {
                    self.dict_set(&mut out, k.clone(), v.clone());
                }
                Ok(V::Dict(out))
            }
            (V::Set(a), V::Set(b)) => {
                let (a, b) = (a.clone(), b.clone());
                let items: Vec<Value> = match op {
                    Operator::BitOr => a.iter().chain(b.iter()).cloned().collect(),
                    Operator::BitAnd => a
                        .into_iter()
                        .filter(|x| contains(&b, x) == Some(true))
                        .collect(),
                    Operator::Sub => a
                        .into_iter()
                        .filter(|x| contains(&b, x) == Some(false))
                        .collect(),
                    Operator::BitXor => {
                        let mut v: Vec<Value> = a
                            .iter()
                            .filter(|x| contains(&b, x) == Some(false))
                            .cloned()
                            .collect();
                        v.extend(b.iter().filter(|x| contains(&a, x) == Some(false)).cloned());
                        v
                    }
                    _ => return Err(self.type_error_operands(sym, &l, &r, range)),
                };
                Ok(V::Set(self.dedup(items)))
            }
            _ => Err(self.type_error_operands(sym, &l, &r, range)),
        }
    }

    pub(crate) fn augmented(&mut self, op: Operator, l: Value, r: Value, range: TextRange) -> Eval {
        // `list += iterable` extends with any iterable.
        if let (Operator::Add, Value::List(a)) = (op, &l)
            && !matches!(r, Value::List(_))
        {
            return Ok(match self.iterate(r, range)? {
                Ok(items) => {
                    let mut v = a.clone();
                    v.extend(items);
                    Value::List(v)
                }
                Err(u) => u,
            });
        }
        self.binop(op, l, r, range)
    }

    pub(crate) fn unaryop(&mut self, op: UnaryOp, v: Value, range: TextRange) -> Eval {
        use Value as V;
        if let V::Unknown(_) = v {
            return Ok(v);
        }
        match op {
            UnaryOp::Not => Ok(match self.truthy(&v, range)? {
                Some(b) => V::Bool(!b),
                None => self.unknown(format!("`not` of {}", super::describe_unknown(&v)), range),
            }),
            _ if is_symbolic(&v) => {
                let name = match op {
                    UnaryOp::Invert => "invert",
                    UnaryOp::USub => "neg",
                    _ => "pos",
                };
                Ok(self.symbolic_op(name, vec![v], range))
            }
            UnaryOp::USub => match v {
                V::Int(i) => Ok(i
                    .checked_neg()
                    .map(V::Int)
                    .unwrap_or_else(|| self.unknown("integer beyond 64 bits", range))),
                V::Bool(b) => Ok(V::Int(-(b as i64))),
                V::Float(f) => Ok(V::Float(-f)),
                other => Err(self.raise(
                    "TypeError",
                    format!("bad operand type for unary -: '{}'", other.type_name()),
                    range,
                )),
            },
            UnaryOp::UAdd => match v {
                V::Int(_) | V::Float(_) => Ok(v),
                V::Bool(b) => Ok(V::Int(b as i64)),
                other => Err(self.raise(
                    "TypeError",
                    format!("bad operand type for unary +: '{}'", other.type_name()),
                    range,
                )),
            },
            UnaryOp::Invert => match v {
                V::Int(i) => Ok(V::Int(!i)),
                V::Bool(b) => Ok(V::Int(!(b as i64))),
                other => Err(self.raise(
                    "TypeError",
                    format!("bad operand type for unary ~: '{}'", other.type_name()),
                    range,
                )),
            },
        }
    }

    pub(crate) fn compare(&mut self, op: CmpOp, l: &Value, r: &Value, range: TextRange) -> Eval {
        use Value as V;
        let sql_name = match op {
            CmpOp::Eq => Some("eq"),
            CmpOp::NotEq => Some("ne"),
            CmpOp::Lt => Some("lt"),
            CmpOp::LtE => Some("le"),
            CmpOp::Gt => Some("gt"),
            CmpOp::GtE => Some("ge"),
            _ => None,
        };
        if let Some(e) = sql_name.and_then(|n| self.sql_with_unknown(n, l, r, range)) {
            return Ok(e);
        }
        if let V::Unknown(_) = l {
            return Ok(l.clone());
        }
        if let V::Unknown(_) = r {
            return Ok(r.clone());
        }
        match op {
            CmpOp::Is | CmpOp::IsNot => {
                let same = match (l, r) {
                    (V::None, V::None) => Some(true),
                    (V::Bool(a), V::Bool(b)) => Some(a == b),
                    (V::None | V::Bool(_), V::Host(_) | V::Object(_))
                    | (V::Host(_) | V::Object(_), V::None | V::Bool(_)) => Some(false),
                    (V::Host(a), V::Host(b)) => Some(a == b),
                    (V::Object(a), V::Object(b)) => Some(
                        match (
                            a.as_any().downcast_ref::<Obj>(),
                            b.as_any().downcast_ref::<Obj>(),
                        ) {
                            (Some(Obj::EnumMember(m)), Some(Obj::EnumMember(n))) => {
                                m.class_id == n.class_id && m.name == n.name
                            }
                            (Some(Obj::Class(c)), Some(Obj::Class(d))) => c.id == d.id,
                            _ => Arc::ptr_eq(a, b),
                        },
                    ),
                    // One call evaluated once, reached twice; distinct
                    // calls may still be one object (`t.c.id is t.c.id`).
                    (V::Call(a), V::Call(b)) if Arc::ptr_eq(a, b) => Some(true),
                    (V::Symbol(_) | V::Call(_), _) | (_, V::Symbol(_) | V::Call(_)) => None,
                    // Known plain values against None/bool: decidable.
                    (V::None | V::Bool(_), _) | (_, V::None | V::Bool(_)) => Some(false),
                    _ => None,
                };
                Ok(match same {
                    Some(s) => V::Bool(if op == CmpOp::Is { s } else { !s }),
                    None if is_symbolic(l) || is_symbolic(r) => self.symbolic_op(
                        if op == CmpOp::Is { "is_" } else { "is_not" },
                        vec![l.clone(), r.clone()],
                        range,
                    ),
                    None => self.unknown("object identity is not known statically", range),
                })
            }
            CmpOp::Eq | CmpOp::NotEq => Ok(match py_eq(l, r) {
                Some(e) => V::Bool(if op == CmpOp::Eq { e } else { !e }),
                None if is_symbolic(l) || is_symbolic(r) => self.symbolic_op(
                    if op == CmpOp::Eq { "eq" } else { "ne" },
                    vec![l.clone(), r.clone()],
                    range,
                ),
                None => self.unknown(
                    format!("comparison of {} and {}", l.type_name(), r.type_name()),
                    range,
                ),
            }),
            CmpOp::In | CmpOp::NotIn => {
                let asked = if matches!(r, V::Call(_) | V::Host(_)) {
                    let loc = self.loc(range);
                    self.host.access(r, Access::Contains(l), &loc)
                } else {
                    None
                };
                let found = match (asked, r) {
                    (Some(Ok(V::Bool(b))), _) => Some(b),
                    (Some(Ok(u @ V::Unknown(_))), _) => return Ok(u),
                    (Some(Err(e)), _) => return Err(e),
                    (_, V::List(v) | V::Tuple(v) | V::Set(v)) => contains(v, l),
                    (_, V::Dict(kv)) => {
                        let keys: Vec<Value> = kv.iter().map(|(k, _)| k.clone()).collect();
                        contains(&keys, l)
                    }
                    (_, V::Str(hay)) => match l {
                        V::Str(needle) => Some(hay.value.contains(&*needle.value)),
                        V::Symbol(_) | V::Call(_) => None,
                        other => {
                            return Err(self.raise(
                                "TypeError",
                                format!("'in <string>' requires string as left operand, not {}", other.type_name()),
                                range,
                            ));
                        }
                    },
                    (_, V::Object(o)) => match o.as_any().downcast_ref::<Obj>() {
                        Some(Obj::Class(c)) if !c.members.is_empty() => Some(c.members.iter().any(|m| {
                            matches!(l.object::<Obj>(), Some(Obj::EnumMember(x)) if x.class_id == m.class_id && x.name == m.name)
                        })),
                        _ => None,
                    },
                    (_, _) => None,
                };
                Ok(match found {
                    Some(f) => V::Bool(if op == CmpOp::In { f } else { !f }),
                    None if is_symbolic(l) || is_symbolic(r) => {
                        let c = self.symbolic_op("contains", vec![r.clone(), l.clone()], range);
                        if op == CmpOp::In {
                            c
                        } else {
                            self.symbolic_op("not_", vec![c], range)
                        }
                    }
                    None => self.unknown(
                        format!("membership in {}", super::describe_unknown(r)),
                        range,
                    ),
                })
            }
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => match py_cmp(l, r) {
                Ok(Some(ord)) => Ok(V::Bool(match op {
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::LtE => ord != Ordering::Greater,
                    CmpOp::Gt => ord == Ordering::Greater,
                    _ => ord != Ordering::Less,
                })),
                Ok(None) if is_symbolic(l) || is_symbolic(r) => {
                    let name = match op {
                        CmpOp::Lt => "lt",
                        CmpOp::LtE => "le",
                        CmpOp::Gt => "gt",
                        _ => "ge",
                    };
                    Ok(self.symbolic_op(name, vec![l.clone(), r.clone()], range))
                }
                Ok(None) => Ok(self.unknown("ordering is not known statically", range)),
                Err(()) => Err(self.raise(
                    "TypeError",
                    format!(
                        "'{}' not supported between instances of '{}' and '{}'",
                        op.as_str(),
                        l.type_name(),
                        r.type_name()
                    ),
                    range,
                )),
            },
        }
    }

    // ----- subscripts -----

    fn index_of(
        &self,
        len: usize,
        key: &Value,
        range: TextRange,
        what: &str,
    ) -> Result<Result<usize, Value>, Abort> {
        let Some(i) = key.as_int() else {
            if let Value::Unknown(_) = key {
                return Ok(Err(key.clone()));
            }
            return Err(self.raise(
                "TypeError",
                format!(
                    "{what} indices must be integers or slices, not {}",
                    key.type_name()
                ),
                range,
            ));
        };
        let idx = if i < 0 { i + len as i64 } else { i };
        if idx < 0 || idx >= len as i64 {
            return Err(self.raise("IndexError", format!("{what} index out of range"), range));
        }
        Ok(Ok(idx as usize))
    }

    pub(crate) fn getitem(&mut self, base: Value, key: Value, range: TextRange) -> Eval {
        use Value as V;
        if let V::Unknown(_) = base {
            return Ok(base);
        }
        match &base {
            V::List(v) | V::Tuple(v) => {
                let what = if matches!(base, V::List(_)) {
                    "list"
                } else {
                    "tuple"
                };
                match self.index_of(v.len(), &key, range, what)? {
                    Ok(i) => Ok(v[i].clone()),
                    Err(u) => Ok(u),
                }
            }
            V::Str(s) => {
                let chars: Vec<char> = s.value.chars().collect();
                match self.index_of(chars.len(), &key, range, "string")? {
                    Ok(i) => Ok(Value::str(chars[i].to_string())),
                    Err(u) => Ok(u),
                }
            }
            V::Bytes(b) => match self.index_of(b.len(), &key, range, "index")? {
                Ok(i) => Ok(V::Int(b[i] as i64)),
                Err(u) => Ok(u),
            },
            V::Dict(kv) => {
                if let V::Unknown(_) = key {
                    return Ok(key);
                }
                let mut undecided = false;
                for (k, v) in kv {
                    match py_eq(k, &key) {
                        Some(true) => return Ok(v.clone()),
                        Some(false) => {}
                        None => undecided = true,
                    }
                }
                if undecided {
                    return Ok(self.unknown("dict key comparison is not known statically", range));
                }
                let shown = strings::py_repr(&key).unwrap_or_else(|_| "?".into());
                Err(self.raise("KeyError", shown, range))
            }
            V::Symbol(_) | V::Call(_) | V::Host(_) => {
                if matches!(base, V::Call(_) | V::Host(_)) {
                    let loc = self.loc(range);
                    if let Some(r) = self.host.access(&base, Access::Item(&key), &loc) {
                        return r;
                    }
                }
                // Subscripts build SQL expressions only on SQLAlchemy
                // objects (`t.c["name"]`, `col["key"]`); on anything else
                // (`os.environ["X"]`, `settings["db"]`) they read a value
                // that exists only when the program runs.
                if root_library(&base).is_some_and(|r| !SQL_LIBRARIES.contains(&r)) {
                    return Ok(self.unknown(
                        format!(
                            "`{}` reads a value outside the project that is not known statically (pin it in the configuration)",
                            super::stmt::squash(self.source(range))
                        ),
                        range,
                    ));
                }
                Ok(self.symbolic_op("getitem", vec![base.clone(), key], range))
            }
            V::Object(o) => match o.as_any().downcast_ref::<Obj>() {
                // `MyEnum["name"]`
                Some(Obj::Class(c)) if !c.members.is_empty() => match key.as_str() {
                    Some(k) => match c.own_attr(k) {
                        Some(v) if matches!(v.object::<Obj>(), Some(Obj::EnumMember(_))) => Ok(v),
                        _ => Err(self.raise("KeyError", strings::str_repr(k), range)),
                    },
                    None => Ok(self.unknown("enum lookup by a key that is not a known str", range)),
                },
                _ => Ok(self.unknown(
                    format!("subscript of a `{}` object is not modelled", o.type_name()),
                    range,
                )),
            },
            other => Err(self.raise(
                "TypeError",
                format!("'{}' object is not subscriptable", other.type_name()),
                range,
            )),
        }
    }

    pub(crate) fn slice(
        &mut self,
        base: Value,
        lower: Value,
        upper: Value,
        step: Value,
        range: TextRange,
    ) -> Eval {
        use Value as V;
        for v in [&base, &lower, &upper, &step] {
            if let V::Unknown(_) = v {
                return Ok(v.clone());
            }
        }
        let bound = |v: &Value| -> Result<Option<i64>, ()> {
            match v {
                V::None => Ok(None),
                other => other.as_int().map(Some).ok_or(()),
            }
        };
        let (Ok(lo), Ok(hi), Ok(st)) = (bound(&lower), bound(&upper), bound(&step)) else {
            return Err(self.raise("TypeError", "slice indices must be integers or None", range));
        };
        let st = st.unwrap_or(1);
        if st == 0 {
            return Err(self.raise("ValueError", "slice step cannot be zero", range));
        }
        let pick = |len: usize| -> Vec<usize> {
            let len = len as i64;
            let norm = |x: i64| {
                if x < 0 {
                    (x + len).max(if st > 0 { 0 } else { -1 })
                } else {
                    x.min(if st > 0 { len } else { len - 1 })
                }
            };
            let mut out = Vec::new();
            if st > 0 {
                let (mut i, end) = (lo.map_or(0, norm), hi.map_or(len, norm));
                while i < end {
                    out.push(i as usize);
                    i += st;
                }
            } else {
                let (mut i, end) = (lo.map_or(len - 1, norm), hi.map_or(-1, norm));
                while i > end {
                    out.push(i as usize);
                    i += st;
                }
            }
            out
        };
        Ok(match &base {
            V::List(v) => V::List(pick(v.len()).into_iter().map(|i| v[i].clone()).collect()),
            V::Tuple(v) => V::Tuple(pick(v.len()).into_iter().map(|i| v[i].clone()).collect()),
            V::Str(s) => {
                if st == 1 && s.value.is_ascii() {
                    let idx = pick(s.value.len());
                    match (idx.first(), idx.last()) {
                        (Some(&a), Some(&b)) => {
                            let mut buf = StrBuf::new();
                            buf.push_slice(s, a, b + 1);
                            V::Str(buf.finish())
                        }
                        _ => Value::str(""),
                    }
                } else {
                    let chars: Vec<char> = s.value.chars().collect();
                    Value::str(
                        pick(chars.len())
                            .into_iter()
                            .map(|i| chars[i])
                            .collect::<String>(),
                    )
                }
            }
            V::Bytes(b) => V::Bytes(
                pick(b.len())
                    .into_iter()
                    .map(|i| b[i])
                    .collect::<Vec<u8>>()
                    .into(),
            ),
            V::Symbol(_) | V::Call(_) => self.symbolic_op(
                "getitem",
                vec![base.clone(), Value::Tuple(vec![lower, upper, step])],
                range,
            ),
            other => {
                return Err(self.raise(
                    "TypeError",
                    format!("'{}' object is not subscriptable", other.type_name()),
                    range,
                ));
            }
        })
    }

    /// A mutable reference to `container[key]` (for nested updates).
    pub(crate) fn item_mut<'v>(
        &mut self,
        container: &'v mut Value,
        key: &Value,
        range: TextRange,
    ) -> Result<Option<&'v mut Value>, Abort> {
        match container {
            Value::List(v) => match self.index_of(v.len(), key, range, "list")? {
                Ok(i) => Ok(v.get_mut(i)),
                Err(_) => Ok(None),
            },
            Value::Dict(kv) => {
                let pos = kv.iter().position(|(k, _)| py_eq(k, key) == Some(true));
                match pos {
                    Some(p) => Ok(Some(&mut kv[p].1)),
                    None => {
                        let shown = strings::py_repr(key).unwrap_or_else(|_| "?".into());
                        Err(self.raise("KeyError", shown, range))
                    }
                }
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn setitem(
        &mut self,
        container: &mut Value,
        key: Value,
        v: Value,
        range: TextRange,
    ) -> Result<(), Abort> {
        match container {
            Value::List(items) => {
                match self.index_of(items.len(), &key, range, "list assignment")? {
                    Ok(i) => items[i] = v,
                    Err(u) => *container = u,
                }
                Ok(())
            }
            Value::Dict(kv) => {
                if key.is_unknown() {
                    *container = key;
                    return Ok(());
                }
                let mut d = std::mem::take(kv);
                self.dict_set(&mut d, key, v);
                *container = Value::Dict(d);
                Ok(())
            }
            Value::Tuple(_) | Value::Str(_) => Err(self.raise(
                "TypeError",
                format!(
                    "'{}' object does not support item assignment",
                    container.type_name()
                ),
                range,
            )),
            // Library objects and unknowns: the change is not tracked.
            _ => Ok(()),
        }
    }

    pub(crate) fn delitem(
        &mut self,
        container: &mut Value,
        key: &Value,
        range: TextRange,
    ) -> Result<(), Abort> {
        match container {
            Value::List(items) => {
                if let Ok(i) = self.index_of(items.len(), key, range, "list assignment")? {
                    items.remove(i);
                }
                Ok(())
            }
            Value::Dict(kv) => {
                let pos = kv.iter().position(|(k, _)| py_eq(k, key) == Some(true));
                match pos {
                    Some(p) => {
                        kv.remove(p);
                        Ok(())
                    }
                    None => {
                        let shown = strings::py_repr(key).unwrap_or_else(|_| "?".into());
                        Err(self.raise("KeyError", shown, range))
                    }
                }
            }
            _ => Ok(()),
        }
    }

    // ----- iteration -----

    /// The items `for x in v` would see; `Ok(Err(unknown))` when not known.
    pub(crate) fn iterate(
        &mut self,
        v: Value,
        range: TextRange,
    ) -> Result<Result<Vec<Value>, Value>, Abort> {
        use Value as V;
        Ok(Ok(match v {
            V::List(items) | V::Tuple(items) | V::Set(items) => items,
            V::Dict(kv) => kv.into_iter().map(|(k, _)| k).collect(),
            V::Str(s) => s.value.chars().map(|c| Value::str(c.to_string())).collect(),
            V::Bytes(b) => b.iter().map(|&x| V::Int(x as i64)).collect(),
            V::Unknown(_) => return Ok(Err(v)),
            V::Host(h) => {
                let loc = self.loc(range);
                match self.host.iterate(&h, &loc)? {
                    V::List(items) | V::Tuple(items) => items,
                    other => return Ok(Err(other)),
                }
            }
            V::Object(ref o) => match o.as_any().downcast_ref::<Obj>() {
                Some(Obj::Class(c)) if c.kind == super::ClassKind::Enum => c
                    .members
                    .iter()
                    .map(|m| Obj::EnumMember(Arc::clone(m)).value())
                    .collect(),
                _ => {
                    return Ok(Err(self.unknown(
                        format!("iterating a `{}` object is not modelled", o.type_name()),
                        range,
                    )));
                }
            },
            V::Symbol(_) | V::Call(_) => {
                if let V::Call(_) = v {
                    let loc = self.loc(range);
                    match self.host.access(&v, Access::Iter, &loc) {
                        Some(Ok(V::List(items) | V::Tuple(items))) => return Ok(Ok(items)),
                        Some(Ok(other)) => return Ok(Err(other)),
                        Some(Err(e)) => return Err(e),
                        None => {}
                    }
                }
                return Ok(Err(self.unknown(
                    format!(
                        "the items of {} are not known statically",
                        super::describe_unknown(&v)
                    ),
                    range,
                )));
            }
            other => {
                return Err(self.raise(
                    "TypeError",
                    format!("'{}' object is not iterable", other.type_name()),
                    range,
                ));
            }
        }))
    }

    // ----- exceptions -----

    /// Whether `except handler` catches `exc`; `None` when undecidable.
    pub(crate) fn exception_matches(&self, exc: &PyException, handler: &Value) -> Option<bool> {
        match handler {
            Value::Tuple(items) => {
                let mut undecided = false;
                for h in items {
                    match self.exception_matches(exc, h) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => undecided = true,
                    }
                }
                if undecided { None } else { Some(false) }
            }
            Value::Symbol(h) => {
                let handler = canonical_exception(&h.path);
                let (ancestors, exact) = exception_ancestors(&exc.class);
                if ancestors.contains(&handler) {
                    return Some(true);
                }
                if exact {
                    return Some(false);
                }
                if is_lowering_failure(&exc.class) {
                    // Only the family is known (some SQLAlchemyError raised
                    // before reaching the database): never a database error,
                    // undecided for other SQLAlchemy classes.
                    if DBAPI_FAMILY.contains(&handler.as_str())
                        || !handler.starts_with("sqlalchemy.exc.")
                    {
                        return Some(false);
                    }
                }
                None
            }
            Value::Object(o) => match (o.as_any().downcast_ref::<Obj>(), exc.class.object::<Obj>())
            {
                (Some(Obj::Class(h)), Some(Obj::Class(c))) => Some(c.is_subclass_of(h)),
                (Some(Obj::Class(_)), _) => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Libraries whose objects build SQL.
const SQL_LIBRARIES: &[&str] = &[
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "alembic_utils",
    "geoalchemy2",
    "pgvector",
    "sqlalchemy_utils",
    "operator",
    "builtins",
    "migsim",
];

/// The top-level package a symbolic value comes from.
fn root_library(v: &Value) -> Option<&str> {
    match v {
        Value::Symbol(s) => s.path.split('.').next(),
        Value::Call(c) => match &c.callee {
            Callee::Symbol(s)
                if s.path.starts_with("operator.") || &*s.path == "builtins.getattr" =>
            {
                c.args.first().and_then(root_library)
            }
            Callee::Symbol(s) => s.path.split('.').next(),
            Callee::Method { receiver, .. } => root_library(receiver),
        },
        _ => None,
    }
}

/// `sa.exc.X` and `sqlalchemy.exc.X` are the same class; so are the
/// builtins' aliases.
fn canonical_exception(path: &str) -> String {
    if path.starts_with("sqlalchemy")
        && let Some(name) = path.rsplit('.').next()
    {
        return format!("sqlalchemy.exc.{name}");
    }
    match path {
        "builtins.IOError" | "builtins.EnvironmentError" => "builtins.OSError".into(),
        other => other.to_owned(),
    }
}

const DBAPI_FAMILY: &[&str] = &[
    "sqlalchemy.exc.DBAPIError",
    "sqlalchemy.exc.DatabaseError",
    "sqlalchemy.exc.ProgrammingError",
    "sqlalchemy.exc.OperationalError",
    "sqlalchemy.exc.IntegrityError",
    "sqlalchemy.exc.DataError",
    "sqlalchemy.exc.InternalError",
    "sqlalchemy.exc.NotSupportedError",
    "sqlalchemy.exc.InterfaceError",
];

/// (child, parent) pairs of the exception classes the evaluator raises or
/// users commonly catch.
const EXCEPTION_PARENTS: &[(&str, &str)] = &[
    ("builtins.Exception", "builtins.BaseException"),
    ("builtins.SystemExit", "builtins.BaseException"),
    ("builtins.KeyboardInterrupt", "builtins.BaseException"),
    ("builtins.GeneratorExit", "builtins.BaseException"),
    ("builtins.ArithmeticError", "builtins.Exception"),
    ("builtins.ZeroDivisionError", "builtins.ArithmeticError"),
    ("builtins.OverflowError", "builtins.ArithmeticError"),
    ("builtins.LookupError", "builtins.Exception"),
    ("builtins.KeyError", "builtins.LookupError"),
    ("builtins.IndexError", "builtins.LookupError"),
    ("builtins.ValueError", "builtins.Exception"),
    ("builtins.UnicodeError", "builtins.ValueError"),
    ("builtins.TypeError", "builtins.Exception"),
    ("builtins.AttributeError", "builtins.Exception"),
    ("builtins.NameError", "builtins.Exception"),
    ("builtins.UnboundLocalError", "builtins.NameError"),
    ("builtins.RuntimeError", "builtins.Exception"),
    ("builtins.NotImplementedError", "builtins.RuntimeError"),
    ("builtins.RecursionError", "builtins.RuntimeError"),
    ("builtins.ImportError", "builtins.Exception"),
    ("builtins.ModuleNotFoundError", "builtins.ImportError"),
    ("builtins.AssertionError", "builtins.Exception"),
    ("builtins.StopIteration", "builtins.Exception"),
    ("builtins.OSError", "builtins.Exception"),
    ("builtins.FileNotFoundError", "builtins.OSError"),
    ("builtins.SyntaxError", "builtins.Exception"),
    ("builtins.Warning", "builtins.Exception"),
    ("sqlalchemy.exc.SQLAlchemyError", "builtins.Exception"),
    (
        "sqlalchemy.exc.ArgumentError",
        "sqlalchemy.exc.SQLAlchemyError",
    ),
    (
        "sqlalchemy.exc.CompileError",
        "sqlalchemy.exc.SQLAlchemyError",
    ),
    (
        "sqlalchemy.exc.InvalidRequestError",
        "sqlalchemy.exc.SQLAlchemyError",
    ),
    (
        "sqlalchemy.exc.NoSuchTableError",
        "sqlalchemy.exc.InvalidRequestError",
    ),
    (
        "sqlalchemy.exc.NoReferenceError",
        "sqlalchemy.exc.InvalidRequestError",
    ),
    (
        "sqlalchemy.exc.StatementError",
        "sqlalchemy.exc.SQLAlchemyError",
    ),
    ("sqlalchemy.exc.DBAPIError", "sqlalchemy.exc.StatementError"),
    ("sqlalchemy.exc.DatabaseError", "sqlalchemy.exc.DBAPIError"),
    (
        "sqlalchemy.exc.ProgrammingError",
        "sqlalchemy.exc.DatabaseError",
    ),
    (
        "sqlalchemy.exc.OperationalError",
        "sqlalchemy.exc.DatabaseError",
    ),
    (
        "sqlalchemy.exc.IntegrityError",
        "sqlalchemy.exc.DatabaseError",
    ),
    ("sqlalchemy.exc.DataError", "sqlalchemy.exc.DatabaseError"),
    (
        "sqlalchemy.exc.InternalError",
        "sqlalchemy.exc.DatabaseError",
    ),
    (
        "sqlalchemy.exc.NotSupportedError",
        "sqlalchemy.exc.DatabaseError",
    ),
    ("sqlalchemy.exc.InterfaceError", "sqlalchemy.exc.DBAPIError"),
];

fn known_exception(path: &str) -> bool {
    EXCEPTION_PARENTS
        .iter()
        .any(|(c, p)| *c == path || *p == path)
}

/// The class a failed lowering raises: SQLAlchemy rejected the call before
/// it reached the database, and only the family is known.
pub(crate) const LOWERING_FAILURE: &str = "sqlalchemy.exc.SQLAlchemyError";

fn is_lowering_failure(class: &Value) -> bool {
    class
        .as_symbol()
        .is_some_and(|s| &*s.path == LOWERING_FAILURE)
}

/// The classes an exception is an instance of, and whether that list is
/// complete (every library class in it is one whose bases are known).
fn exception_ancestors(class: &Value) -> (Vec<String>, bool) {
    let chain = |start: String| -> (Vec<String>, bool) {
        let exact = known_exception(&start);
        let mut out = vec![start.clone()];
        let mut cur = start;
        while let Some((_, p)) = EXCEPTION_PARENTS.iter().find(|(c, _)| *c == cur) {
            out.push((*p).to_owned());
            cur = (*p).to_owned();
        }
        (out, exact)
    };
    match class {
        Value::Symbol(s) => {
            let (list, exact) = chain(canonical_exception(&s.path));
            (list, exact && !is_lowering_failure(class))
        }
        Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
            Some(Obj::Class(c)) => {
                let mut out = Vec::new();
                let mut exact = true;
                for e in &c.mro {
                    match e.as_symbol() {
                        Some(s) if &*s.path == "builtins.object" => {}
                        Some(s) => {
                            let (list, ex) = chain(canonical_exception(&s.path));
                            exact &= ex;
                            out.extend(list);
                        }
                        None if matches!(e.object::<Obj>(), Some(Obj::Class(_))) => {}
                        None => exact = false,
                    }
                }
                (out, exact)
            }
            _ => (Vec::new(), false),
        },
        // An exception whose class is unknown: it is at least an Exception
        // for a bare or broad handler.
        _ => (
            vec!["builtins.Exception".into(), "builtins.BaseException".into()],
            false,
        ),
    }
}
