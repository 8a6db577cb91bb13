//! Built-in functions and the methods of built-in values.

use std::sync::Arc;

use ruff_python_ast::Expr;
use ruff_text_size::TextRange;

use super::objects::{ClassKind, Obj};
use super::ops::{contains, py_eq};
use super::strings::{self, Piece, StrBuf};
use super::{Abort, Eval, Evaluator, describe_unknown};
use crate::python::host::Access;
use crate::python::value::{Call, Callee, PyStr, Symbol, Value};

/// Ranges larger than this are not materialised.
const MAX_RANGE: i64 = 1_000_000;

fn kwarg<'v>(kwargs: &'v [(String, Value)], name: &str) -> Option<&'v Value> {
    kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

impl Evaluator<'_> {
    pub(crate) fn call_builtin(
        &mut self,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        // An unknown argument makes most results unknown; pass it through.
        let first_unknown = args.iter().find(|a| a.is_unknown()).cloned();
        let need = |ev: &Self, n: usize| -> Result<(), Abort> {
            if args.len() < n {
                Err(ev.raise(
                    "TypeError",
                    format!("{name}() expected {n} argument(s), got {}", args.len()),
                    range,
                ))
            } else {
                Ok(())
            }
        };
        match name {
            "print" => {
                if self.host.is_migration() {
                    self.note_print(range);
                }
                Ok(Value::None)
            }
            "len" => {
                need(self, 1)?;
                Ok(match &args[0] {
                    Value::Str(s) => Value::Int(s.value.chars().count() as i64),
                    Value::Bytes(b) => Value::Int(b.len() as i64),
                    Value::List(v) | Value::Tuple(v) | Value::Set(v) => Value::Int(v.len() as i64),
                    Value::Dict(kv) => Value::Int(kv.len() as i64),
                    Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
                        Some(Obj::Class(c)) if c.kind == ClassKind::Enum => {
                            Value::Int(c.members.len() as i64)
                        }
                        _ => self.unknown("len() of a project object is not modelled", range),
                    },
                    Value::Unknown(_) => args[0].clone(),
                    other
                        if matches!(other, Value::Symbol(_) | Value::Call(_) | Value::Host(_)) =>
                    {
                        let loc = self.loc(range);
                        match self.host.access(other, Access::Len, &loc) {
                            Some(r) => r?,
                            None => {
                                self.unknown(format!("len() of {}", describe_unknown(other)), range)
                            }
                        }
                    }
                    other => {
                        return Err(self.raise(
                            "TypeError",
                            format!("object of type '{}' has no len()", other.type_name()),
                            range,
                        ));
                    }
                })
            }
            "range" => {
                if let Some(u) = first_unknown {
                    return Ok(u);
                }
                let ints: Option<Vec<i64>> = args.iter().map(Value::as_int).collect();
                let Some(ints) = ints else {
                    return Err(self.raise(
                        "TypeError",
                        "range() arguments must be integers",
                        range,
                    ));
                };
                let (start, stop, step) = match ints.as_slice() {
                    [stop] => (0, *stop, 1),
                    [start, stop] => (*start, *stop, 1),
                    [start, stop, step] => (*start, *stop, *step),
                    _ => {
                        return Err(self.raise(
                            "TypeError",
                            "range expected 1 to 3 arguments",
                            range,
                        ));
                    }
                };
                if step == 0 {
                    return Err(self.raise("ValueError", "range() arg 3 must not be zero", range));
                }
                let n = if step > 0 {
                    (stop - start + step - 1).max(0) / step
                } else {
                    (start - stop - step - 1).max(0) / -step
                };
                if n > MAX_RANGE {
                    return Ok(self.unknown(
                        format!("range of {n} items is too large to evaluate"),
                        range,
                    ));
                }
                Ok(Value::List(
                    (0..n).map(|i| Value::Int(start + i * step)).collect(),
                ))
            }
            "enumerate" => {
                need(self, 1)?;
                let start = kwarg(&kwargs, "start")
                    .or(args.get(1))
                    .and_then(Value::as_int)
                    .unwrap_or(0);
                let items = match self.iterate(args[0].clone(), range)? {
                    Ok(items) => items,
                    Err(u) => return Ok(u),
                };
                Ok(Value::List(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| Value::Tuple(vec![Value::Int(start + i as i64), v]))
                        .collect(),
                ))
            }
            "zip" => {
                let mut seqs = Vec::new();
                for a in args {
                    match self.iterate(a, range)? {
                        Ok(items) => seqs.push(items),
                        Err(u) => return Ok(u),
                    }
                }
                let n = seqs.iter().map(Vec::len).min().unwrap_or(0);
                Ok(Value::List(
                    (0..n)
                        .map(|i| Value::Tuple(seqs.iter().map(|s| s[i].clone()).collect()))
                        .collect(),
                ))
            }
            "list" | "tuple" | "set" | "frozenset" | "sorted" | "reversed" => {
                let items = match args.first() {
                    None => Vec::new(),
                    Some(a) => match self.iterate(a.clone(), range)? {
                        Ok(items) => items,
                        Err(u) => return Ok(u),
                    },
                };
                Ok(match name {
                    "list" => Value::List(items),
                    "tuple" => Value::Tuple(items),
                    "set" | "frozenset" => Value::Set(self.dedup(items)),
                    "reversed" => Value::List(items.into_iter().rev().collect()),
                    _ => {
                        let key = kwarg(&kwargs, "key").cloned().filter(|k| !k.is_none());
                        let reverse = kwarg(&kwargs, "reverse")
                            .and_then(Value::as_bool)
                            .unwrap_or(false);
                        match self.sort_values(items, key, reverse, range)? {
                            Ok(v) => Value::List(v),
                            Err(u) => u,
                        }
                    }
                })
            }
            "dict" => {
                let mut out: Vec<(Value, Value)> = Vec::new();
                if let Some(a) = args.first() {
                    match a {
                        Value::Dict(kv) => out = kv.clone(),
                        other => {
                            let items = match self.iterate(other.clone(), range)? {
                                Ok(items) => items,
                                Err(u) => return Ok(u),
                            };
                            for item in items {
                                match item {
                                    Value::Tuple(p) | Value::List(p) if p.len() == 2 => {
                                        let mut p = p.into_iter();
                                        let (k, v) = (
                                            p.next().unwrap_or(Value::None),
                                            p.next().unwrap_or(Value::None),
                                        );
                                        self.dict_set(&mut out, k, v);
                                    }
                                    Value::Unknown(_) => return Ok(item),
                                    _ => {
                                        return Err(self.raise(
                                            "ValueError",
                                            "dictionary update sequence element has wrong length",
                                            range,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
                for (k, v) in kwargs {
                    self.dict_set(&mut out, Value::str(k), v);
                }
                Ok(Value::Dict(out))
            }
            "str" => match args.first() {
                None => Ok(Value::str("")),
                Some(Value::Str(s)) => Ok(Value::Str(s.clone())),
                Some(Value::Bytes(b)) if args.len() > 1 => {
                    Ok(Value::str(String::from_utf8_lossy(b).into_owned()))
                }
                Some(v) => match strings::py_str(v) {
                    Ok(s) => Ok(Value::str(s)),
                    Err(e) => self.str_error(e, range),
                },
            },
            "repr" | "ascii" => {
                need(self, 1)?;
                match strings::py_repr(&args[0]) {
                    Ok(s) => Ok(Value::str(s)),
                    Err(e) => self.str_error(e, range),
                }
            }
            "int" => match args.first() {
                None => Ok(Value::Int(0)),
                Some(Value::Int(i)) => Ok(Value::Int(*i)),
                Some(Value::Bool(b)) => Ok(Value::Int(*b as i64)),
                Some(Value::Float(f)) if f.is_finite() && f.abs() < 9.2e18 => {
                    Ok(Value::Int(f.trunc() as i64))
                }
                Some(Value::Str(s)) => {
                    let base = args
                        .get(1)
                        .or(kwarg(&kwargs, "base"))
                        .and_then(Value::as_int)
                        .unwrap_or(10) as u32;
                    let t = s.value.trim().replace('_', "");
                    match i64::from_str_radix(&t, base.clamp(2, 36)) {
                        Ok(i) => Ok(Value::Int(i)),
                        Err(_) => Err(self.raise(
                            "ValueError",
                            format!(
                                "invalid literal for int() with base {base}: {}",
                                strings::str_repr(&s.value)
                            ),
                            range,
                        )),
                    }
                }
                Some(u @ Value::Unknown(_)) => Ok(u.clone()),
                Some(other) => {
                    Ok(self.unknown(format!("int() of {}", describe_unknown(other)), range))
                }
            },
            "float" => match args.first() {
                None => Ok(Value::Float(0.0)),
                Some(Value::Float(f)) => Ok(Value::Float(*f)),
                Some(v @ (Value::Int(_) | Value::Bool(_))) => {
                    Ok(Value::Float(v.as_int().unwrap_or(0) as f64))
                }
                Some(Value::Str(s)) => match s.value.trim().to_ascii_lowercase().as_str() {
                    "inf" | "infinity" | "+inf" => Ok(Value::Float(f64::INFINITY)),
                    "-inf" | "-infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
                    "nan" => Ok(Value::Float(f64::NAN)),
                    t => match t.parse::<f64>() {
                        Ok(f) => Ok(Value::Float(f)),
                        Err(_) => Err(self.raise(
                            "ValueError",
                            format!(
                                "could not convert string to float: {}",
                                strings::str_repr(&s.value)
                            ),
                            range,
                        )),
                    },
                },
                Some(u @ Value::Unknown(_)) => Ok(u.clone()),
                Some(other) => {
                    Ok(self.unknown(format!("float() of {}", describe_unknown(other)), range))
                }
            },
            "bool" => match args.first() {
                None => Ok(Value::Bool(false)),
                Some(v) => Ok(match self.truthy(v, range)? {
                    Some(b) => Value::Bool(b),
                    None => self.unknown(format!("bool() of {}", describe_unknown(v)), range),
                }),
            },
            "isinstance" => {
                need(self, 2)?;
                Ok(match isinstance(&args[0], &args[1]) {
                    Some(b) => Value::Bool(b),
                    None => self.unknown(
                        format!("isinstance() of {}", describe_unknown(&args[0])),
                        range,
                    ),
                })
            }
            "callable" => {
                need(self, 1)?;
                Ok(match &args[0] {
                    Value::Object(o) => Value::Bool(matches!(
                        o.as_any().downcast_ref::<Obj>(),
                        Some(
                            Obj::Function(_)
                                | Obj::BoundMethod { .. }
                                | Obj::Class(_)
                                | Obj::BuiltinMethod { .. }
                        )
                    )),
                    Value::Symbol(_) | Value::Call(_) | Value::Unknown(_) | Value::Host(_) => {
                        self.unknown("callable() of a library value", range)
                    }
                    _ => Value::Bool(false),
                })
            }
            "getattr" | "hasattr" => {
                need(self, 2)?;
                let Some(attr) = args[1].as_str().map(str::to_owned) else {
                    return Ok(self.unknown(
                        format!("{name}() with a name that is not a known str"),
                        range,
                    ));
                };
                let r = self.get_attr(args[0].clone(), &attr, range);
                match (name, r) {
                    ("getattr", Ok(v)) => Ok(v),
                    ("getattr", Err(Abort::Raise(e)))
                        if self.is_attribute_error(&e) && args.len() > 2 =>
                    {
                        Ok(args[2].clone())
                    }
                    ("getattr", Err(e)) => Err(e),
                    (_, Ok(v)) => Ok(if v.is_unknown() { v } else { Value::Bool(true) }),
                    (_, Err(Abort::Raise(e))) if self.is_attribute_error(&e) => {
                        Ok(Value::Bool(false))
                    }
                    (_, Err(e)) => Err(e),
                }
            }
            "setattr" => {
                need(self, 3)?;
                let Some(attr) = args[1].as_str().map(str::to_owned) else {
                    return Ok(Value::None);
                };
                self.set_attr(args[0].clone(), &attr, args[2].clone(), range)?;
                Ok(Value::None)
            }
            "min" | "max" => {
                let items = if args.len() == 1 {
                    match self.iterate(args[0].clone(), range)? {
                        Ok(items) => items,
                        Err(u) => return Ok(u),
                    }
                } else {
                    args.clone()
                };
                if items.is_empty() {
                    return match kwarg(&kwargs, "default") {
                        Some(d) => Ok(d.clone()),
                        None => Err(self.raise(
                            "ValueError",
                            format!("{name}() arg is an empty sequence"),
                            range,
                        )),
                    };
                }
                let key = kwarg(&kwargs, "key").cloned().filter(|k| !k.is_none());
                match self.sort_values(items, key, name == "max", range)? {
                    Ok(sorted) => Ok(sorted.into_iter().next().unwrap_or(Value::None)),
                    Err(u) => Ok(u),
                }
            }
            "sum" => {
                need(self, 1)?;
                let items = match self.iterate(args[0].clone(), range)? {
                    Ok(items) => items,
                    Err(u) => return Ok(u),
                };
                let mut acc = args
                    .get(1)
                    .or(kwarg(&kwargs, "start"))
                    .cloned()
                    .unwrap_or(Value::Int(0));
                for i in items {
                    acc = self.binop(ruff_python_ast::Operator::Add, acc, i, range)?;
                }
                Ok(acc)
            }
            "any" | "all" => {
                need(self, 1)?;
                let items = match self.iterate(args[0].clone(), range)? {
                    Ok(items) => items,
                    Err(u) => return Ok(u),
                };
                let mut undecided = None;
                for i in &items {
                    match self.truthy(i, range)? {
                        Some(true) if name == "any" => return Ok(Value::Bool(true)),
                        Some(false) if name == "all" => return Ok(Value::Bool(false)),
                        Some(_) => {}
                        None => undecided = Some(i.clone()),
                    }
                }
                Ok(match undecided {
                    Some(u) => {
                        self.unknown(format!("{name}() over {}", describe_unknown(&u)), range)
                    }
                    None => Value::Bool(name == "all"),
                })
            }
            "abs" => match args.first() {
                Some(Value::Int(i)) => Ok(i
                    .checked_abs()
                    .map(Value::Int)
                    .unwrap_or_else(|| self.unknown("integer beyond 64 bits", range))),
                Some(Value::Float(f)) => Ok(Value::Float(f.abs())),
                Some(Value::Bool(b)) => Ok(Value::Int(*b as i64)),
                Some(other) => {
                    Ok(self.unknown(format!("abs() of {}", describe_unknown(other)), range))
                }
                None => Err(self.raise("TypeError", "abs() takes exactly one argument", range)),
            },
            "round" => match (args.first(), args.get(1).and_then(Value::as_int)) {
                (Some(Value::Float(f)), None) => Ok(Value::Int(round_half_even(*f) as i64)),
                (Some(Value::Float(f)), Some(n)) => {
                    let p = 10f64.powi(n as i32);
                    Ok(Value::Float(round_half_even(f * p) / p))
                }
                (Some(v @ Value::Int(_)), _) => Ok(v.clone()),
                (Some(other), _) => {
                    Ok(self.unknown(format!("round() of {}", describe_unknown(other)), range))
                }
                (None, _) => Err(self.raise(
                    "TypeError",
                    "round() missing required argument 'number'",
                    range,
                )),
            },
            "map" | "filter" => {
                need(self, 2)?;
                let f = args[0].clone();
                let items = match self.iterate(args[1].clone(), range)? {
                    Ok(items) => items,
                    Err(u) => return Ok(u),
                };
                let loc = self.loc(range);
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    if name == "map" {
                        out.push(self.call_value(
                            f.clone(),
                            vec![i],
                            Vec::new(),
                            loc.clone(),
                            false,
                        )?);
                    } else {
                        let keep = if f.is_none() {
                            i.clone()
                        } else {
                            self.call_value(
                                f.clone(),
                                vec![i.clone()],
                                Vec::new(),
                                loc.clone(),
                                false,
                            )?
                        };
                        match self.truthy(&keep, range)? {
                            Some(true) => out.push(i),
                            Some(false) => {}
                            None => {
                                return Ok(self.unknown(
                                    format!("filter() condition {}", describe_unknown(&keep)),
                                    range,
                                ));
                            }
                        }
                    }
                }
                Ok(Value::List(out))
            }
            "super" => match args.as_slice() {
                [] => self.zero_arg_super(range),
                [class, receiver, ..] => match class.object::<Obj>() {
                    Some(Obj::Class(c)) => Ok(Obj::Super {
                        class: Arc::clone(c),
                        receiver: receiver.clone(),
                    }
                    .value()),
                    _ => Ok(self.unknown("super() of a class that is not the project's", range)),
                },
                _ => Ok(self.unknown("super() with one argument", range)),
            },
            "type" if args.len() == 1 => Ok(match args[0].object::<Obj>() {
                Some(Obj::Instance(i)) => Obj::Class(Arc::clone(&i.class)).value(),
                _ => match &args[0] {
                    Value::Str(_) => Value::Symbol(Symbol::new("builtins.str")),
                    Value::Int(_) => Value::Symbol(Symbol::new("builtins.int")),
                    Value::Float(_) => Value::Symbol(Symbol::new("builtins.float")),
                    Value::Bool(_) => Value::Symbol(Symbol::new("builtins.bool")),
                    Value::List(_) => Value::Symbol(Symbol::new("builtins.list")),
                    Value::Dict(_) => Value::Symbol(Symbol::new("builtins.dict")),
                    Value::Tuple(_) => Value::Symbol(Symbol::new("builtins.tuple")),
                    Value::Set(_) => Value::Symbol(Symbol::new("builtins.set")),
                    Value::None => Value::Symbol(Symbol::new("builtins.NoneType")),
                    other => self.unknown(format!("type() of {}", describe_unknown(other)), range),
                },
            }),
            "format" => {
                need(self, 1)?;
                let spec = args.get(1).and_then(Value::as_str).unwrap_or("").to_owned();
                Ok(match self.format_field(&args[0], None, &spec, range)? {
                    Ok(s) => Value::Str(s),
                    Err(u) => u,
                })
            }
            "hex" | "oct" | "bin" => match args.first().and_then(Value::as_int) {
                Some(i) => {
                    let (p, body) = match name {
                        "hex" => ("0x", format!("{:x}", i.unsigned_abs())),
                        "oct" => ("0o", format!("{:o}", i.unsigned_abs())),
                        _ => ("0b", format!("{:b}", i.unsigned_abs())),
                    };
                    Ok(Value::str(format!(
                        "{}{p}{body}",
                        if i < 0 { "-" } else { "" }
                    )))
                }
                None => Ok(first_unknown.unwrap_or_else(|| {
                    self.unknown(format!("{name}() of a value that is not an int"), range)
                })),
            },
            "ord" => match args.first() {
                Some(Value::Str(s)) if s.value.chars().count() == 1 => {
                    Ok(Value::Int(s.value.chars().next().map_or(0, |c| c as i64)))
                }
                Some(u @ Value::Unknown(_)) => Ok(u.clone()),
                _ => Err(self.raise("TypeError", "ord() expected a character", range)),
            },
            "chr" => match args
                .first()
                .and_then(Value::as_int)
                .and_then(|i| u32::try_from(i).ok())
                .and_then(char::from_u32)
            {
                Some(c) => Ok(Value::str(c.to_string())),
                None => Ok(first_unknown.unwrap_or_else(|| {
                    self.unknown("chr() of a value that is not a code point", range)
                })),
            },
            "object.__init__" | "object" => Ok(Value::None),
            "open" => Ok(self.unknown("reading files is not modelled", range)),
            "iter" | "next" | "id" | "hash" | "vars" | "globals" | "locals" | "dir" | "input"
            | "eval" | "exec" | "compile" | "__import__" | "breakpoint" | "memoryview"
            | "bytearray" | "divmod" | "pow" | "complex" | "issubclass" | "property"
            | "staticmethod" | "classmethod" | "slice" | "delattr" | "exit" | "quit" => {
                Ok(self.unknown(format!("`{name}()` is not modelled"), range))
            }
            _ => {
                // Exception classes and other built-in types called: keep the
                // call (an exception object `raise` can read).
                let call = Call {
                    callee: Callee::Symbol(Symbol::new(format!("builtins.{name}"))),
                    args,
                    kwargs,
                    loc: self.loc(range),
                };
                Ok(Value::Call(Arc::new(call)))
            }
        }
    }

    fn is_attribute_error(&self, e: &crate::python::host::PyException) -> bool {
        e.class
            .as_symbol()
            .is_some_and(|s| &*s.path == "builtins.AttributeError")
    }

    /// Sorts by `key` (a callable) in Python's stable order.
    fn sort_values(
        &mut self,
        items: Vec<Value>,
        key: Option<Value>,
        reverse: bool,
        range: TextRange,
    ) -> Result<Result<Vec<Value>, Value>, Abort> {
        let keys: Vec<Value> = match &key {
            Some(k) => {
                let loc = self.loc(range);
                let mut out = Vec::with_capacity(items.len());
                for i in &items {
                    out.push(self.call_value(
                        k.clone(),
                        vec![i.clone()],
                        Vec::new(),
                        loc.clone(),
                        false,
                    )?);
                }
                out
            }
            None => items.clone(),
        };
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let mut failure: Option<Value> = None;
        let mut type_error = false;
        idx.sort_by(|&a, &b| {
            let mut lt = |x: &Value, y: &Value| -> Option<bool> {
                match self_less(x, y) {
                    Ok(r) => r,
                    Err(()) => {
                        type_error = true;
                        Some(false)
                    }
                }
            };
            let (ab, ba) = (lt(&keys[a], &keys[b]), lt(&keys[b], &keys[a]));
            match (ab, ba) {
                (Some(true), _) => std::cmp::Ordering::Less,
                (_, Some(true)) => std::cmp::Ordering::Greater,
                (Some(false), Some(false)) => std::cmp::Ordering::Equal,
                _ => {
                    failure = Some(keys[a].clone());
                    std::cmp::Ordering::Equal
                }
            }
        });
        if type_error {
            return Err(self.raise(
                "TypeError",
                "'<' not supported between the items being sorted",
                range,
            ));
        }
        if let Some(f) = failure {
            return Ok(Err(
                self.unknown(format!("sorting by {}", describe_unknown(&f)), range)
            ));
        }
        if reverse {
            // Python's reverse sort is stable too: reverse, sort, reverse.
            idx.reverse();
            idx.sort_by(|&a, &b| match self_less(&keys[b], &keys[a]) {
                Ok(Some(true)) => std::cmp::Ordering::Less,
                _ => match self_less(&keys[a], &keys[b]) {
                    Ok(Some(true)) => std::cmp::Ordering::Greater,
                    _ => std::cmp::Ordering::Equal,
                },
            });
            let _ = ();
        }
        let mut items: Vec<Option<Value>> = items.into_iter().map(Some).collect();
        Ok(Ok(idx
            .into_iter()
            .filter_map(|i| items[i].take())
            .collect()))
    }

    /// Non-mutating methods of built-in values.
    pub(crate) fn builtin_method(
        &mut self,
        recv: Value,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        match &recv {
            Value::Str(s) => {
                if name == "format" || name == "format_map" {
                    let kwargs = if name == "format_map" {
                        match args.first() {
                            Some(Value::Dict(kv)) => kv
                                .iter()
                                .filter_map(|(k, v)| k.as_str().map(|k| (k.to_owned(), v.clone())))
                                .collect(),
                            _ => {
                                return Ok(
                                    self.unknown("format_map() of an unknown mapping", range)
                                );
                            }
                        }
                    } else {
                        kwargs
                    };
                    let args = if name == "format_map" {
                        Vec::new()
                    } else {
                        args
                    };
                    return self.str_format(s, &args, &kwargs, range);
                }
                if let Some(u) = args.iter().find(|a| a.is_unknown()) {
                    return Ok(u.clone());
                }
                let mut args = args;
                // Keyword forms used in practice.
                for (k, v) in kwargs {
                    match (name, k.as_str()) {
                        ("split" | "rsplit", "sep") => {
                            if args.is_empty() {
                                args.push(v)
                            } else {
                                args[0] = v
                            }
                        }
                        ("split" | "rsplit", "maxsplit") => {
                            if args.is_empty() {
                                args.push(Value::None);
                            }
                            args.push(v);
                        }
                        ("splitlines", "keepends") => args.push(v),
                        _ => {
                            return Ok(self.unknown(
                                format!("str.{name}() with keyword `{k}` is not modelled"),
                                range,
                            ));
                        }
                    }
                }
                match strings::str_method(s, name, &args) {
                    Some(Ok(v)) => Ok(v),
                    Some(Err(e)) => self.str_error(e, range),
                    None => Ok(self.unknown(format!("str.{name}() is not modelled"), range)),
                }
            }
            Value::Bytes(b) if name == "decode" => match String::from_utf8(b.to_vec()) {
                Ok(s) => Ok(Value::str(s)),
                Err(_) => Err(self.raise(
                    "UnicodeDecodeError",
                    "'utf-8' codec can't decode bytes",
                    range,
                )),
            },
            Value::List(items) | Value::Tuple(items) => match name {
                "index" => {
                    let Some(needle) = args.first() else {
                        return Err(self.raise("TypeError", "index expected 1 argument", range));
                    };
                    let mut undecided = false;
                    for (i, x) in items.iter().enumerate() {
                        match py_eq(x, needle) {
                            Some(true) => return Ok(Value::Int(i as i64)),
                            Some(false) => {}
                            None => undecided = true,
                        }
                    }
                    if undecided {
                        return Ok(
                            self.unknown("list.index() over values that are not known", range)
                        );
                    }
                    Err(self.raise("ValueError", "list.index(x): x not in list", range))
                }
                "count" => {
                    let Some(needle) = args.first() else {
                        return Err(self.raise("TypeError", "count expected 1 argument", range));
                    };
                    Ok(Value::Int(
                        items
                            .iter()
                            .filter(|x| py_eq(x, needle) == Some(true))
                            .count() as i64,
                    ))
                }
                "copy" => Ok(recv.clone()),
                _ => self.mutating_method_on_temp(recv, name, args, kwargs, range),
            },
            Value::Dict(kv) => match name {
                "get" => {
                    let Some(key) = args.first() else {
                        return Err(self.raise(
                            "TypeError",
                            "get expected at least 1 argument",
                            range,
                        ));
                    };
                    if key.is_unknown() {
                        return Ok(key.clone());
                    }
                    let mut undecided = false;
                    for (k, v) in kv {
                        match py_eq(k, key) {
                            Some(true) => return Ok(v.clone()),
                            Some(false) => {}
                            None => undecided = true,
                        }
                    }
                    if undecided {
                        return Ok(
                            self.unknown("dict key comparison is not known statically", range)
                        );
                    }
                    Ok(args.get(1).cloned().unwrap_or(Value::None))
                }
                "keys" => Ok(Value::List(kv.iter().map(|(k, _)| k.clone()).collect())),
                "values" => Ok(Value::List(kv.iter().map(|(_, v)| v.clone()).collect())),
                "items" => Ok(Value::List(
                    kv.iter()
                        .map(|(k, v)| Value::Tuple(vec![k.clone(), v.clone()]))
                        .collect(),
                )),
                "copy" => Ok(recv.clone()),
                _ => self.mutating_method_on_temp(recv, name, args, kwargs, range),
            },
            Value::Set(items) => match name {
                "union" | "intersection" | "difference" | "symmetric_difference" => {
                    let mut acc = Value::Set(items.clone());
                    for a in args {
                        let other = match self.iterate(a, range)? {
                            Ok(v) => Value::Set(v),
                            Err(u) => return Ok(u),
                        };
                        let op = match name {
                            "union" => ruff_python_ast::Operator::BitOr,
                            "intersection" => ruff_python_ast::Operator::BitAnd,
                            "difference" => ruff_python_ast::Operator::Sub,
                            _ => ruff_python_ast::Operator::BitXor,
                        };
                        acc = self.binop(op, acc, other, range)?;
                    }
                    Ok(acc)
                }
                "issubset" | "issuperset" => {
                    let other = match args
                        .first()
                        .cloned()
                        .map(|a| self.iterate(a, range))
                        .transpose()?
                    {
                        Some(Ok(v)) => v,
                        Some(Err(u)) => return Ok(u),
                        None => {
                            return Err(self.raise(
                                "TypeError",
                                format!("{name} expected 1 argument"),
                                range,
                            ));
                        }
                    };
                    let (small, big) = if name == "issubset" {
                        (items.clone(), other)
                    } else {
                        (other, items.clone())
                    };
                    let mut undecided = false;
                    for x in &small {
                        match contains(&big, x) {
                            Some(true) => {}
                            Some(false) => return Ok(Value::Bool(false)),
                            None => undecided = true,
                        }
                    }
                    Ok(if undecided {
                        self.unknown("set comparison over unknown values", range)
                    } else {
                        Value::Bool(true)
                    })
                }
                "copy" => Ok(recv.clone()),
                _ => self.mutating_method_on_temp(recv, name, args, kwargs, range),
            },
            Value::None => Err(self.raise(
                "AttributeError",
                format!("'NoneType' object has no attribute '{name}'"),
                range,
            )),
            other => Ok(self.unknown(
                format!("`{}.{name}()` is not modelled", other.type_name()),
                range,
            )),
        }
    }

    /// A mutating method on a value that is not a variable (`[].append`).
    fn mutating_method_on_temp(
        &mut self,
        recv: Value,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        let mut tmp = recv;
        self.apply_mutation(&mut tmp, name, args, kwargs, range)
    }

    /// `place.name(...)` for list/dict/set methods that change the value.
    pub(crate) fn mutating_method(
        &mut self,
        place: &Expr,
        recv: Value,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        let mut args = Some(args);
        let mut kwargs = Some(kwargs);
        let r = self.mutate_place(place, &mut |ev, v| {
            ev.apply_mutation(
                v,
                name,
                args.take().unwrap_or_default(),
                kwargs.take().unwrap_or_default(),
                range,
            )
        })?;
        match r {
            Some(r) => Ok(r),
            None => {
                let mut tmp = recv;
                self.apply_mutation(
                    &mut tmp,
                    name,
                    args.take().unwrap_or_default(),
                    kwargs.take().unwrap_or_default(),
                    range,
                )
            }
        }
    }

    fn apply_mutation(
        &mut self,
        v: &mut Value,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        match v {
            Value::List(items) => match name {
                "append" => {
                    let Some(x) = args.into_iter().next() else {
                        return Err(self.raise(
                            "TypeError",
                            "list.append() takes exactly one argument (0 given)",
                            range,
                        ));
                    };
                    items.push(x);
                    Ok(Value::None)
                }
                "extend" => {
                    let Some(x) = args.into_iter().next() else {
                        return Err(self.raise(
                            "TypeError",
                            "list.extend() takes exactly one argument (0 given)",
                            range,
                        ));
                    };
                    match self.iterate(x, range)? {
                        Ok(more) => {
                            if let Value::List(items) = v {
                                items.extend(more);
                            }
                        }
                        Err(u) => *v = u,
                    }
                    Ok(Value::None)
                }
                "insert" => {
                    let (Some(i), Some(x)) = (args.first().and_then(Value::as_int), args.get(1))
                    else {
                        return Err(self.raise("TypeError", "insert expected 2 arguments", range));
                    };
                    let len = items.len() as i64;
                    let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
                    items.insert(at, x.clone());
                    Ok(Value::None)
                }
                "pop" => {
                    if items.is_empty() {
                        return Err(self.raise("IndexError", "pop from empty list", range));
                    }
                    let len = items.len() as i64;
                    let i = args.first().and_then(Value::as_int).unwrap_or(-1);
                    let at = if i < 0 { i + len } else { i };
                    if at < 0 || at >= len {
                        return Err(self.raise("IndexError", "pop index out of range", range));
                    }
                    Ok(items.remove(at as usize))
                }
                "remove" => {
                    let Some(x) = args.first() else {
                        return Err(self.raise(
                            "TypeError",
                            "list.remove() takes exactly one argument",
                            range,
                        ));
                    };
                    match items.iter().position(|i| py_eq(i, x) == Some(true)) {
                        Some(p) => {
                            items.remove(p);
                            Ok(Value::None)
                        }
                        None => {
                            Err(self.raise("ValueError", "list.remove(x): x not in list", range))
                        }
                    }
                }
                "clear" => {
                    items.clear();
                    Ok(Value::None)
                }
                "reverse" => {
                    items.reverse();
                    Ok(Value::None)
                }
                "sort" => {
                    let key = kwarg(&kwargs, "key").cloned().filter(|k| !k.is_none());
                    let reverse = kwarg(&kwargs, "reverse")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    let taken = std::mem::take(items);
                    match self.sort_values(taken, key, reverse, range)? {
                        Ok(sorted) => *v = Value::List(sorted),
                        Err(u) => *v = u,
                    }
                    Ok(Value::None)
                }
                _ => Ok(self.unknown(format!("list.{name}() is not modelled"), range)),
            },
            Value::Dict(kv) => match name {
                "update" => {
                    let mut d = std::mem::take(kv);
                    if let Some(a) = args.into_iter().next() {
                        match a {
                            Value::Dict(other) => {
                                for (k, x) in other {
                                    self.dict_set(&mut d, k, x);
                                }
                            }
                            u @ Value::Unknown(_) => {
                                *v = u;
                                return Ok(Value::None);
                            }
                            other => {
                                let items = match self.iterate(other, range)? {
                                    Ok(items) => items,
                                    Err(u) => {
                                        *v = u;
                                        return Ok(Value::None);
                                    }
                                };
                                for item in items {
                                    if let Value::Tuple(p) | Value::List(p) = item
                                        && p.len() == 2
                                    {
                                        self.dict_set(&mut d, p[0].clone(), p[1].clone());
                                    }
                                }
                            }
                        }
                    }
                    for (k, x) in kwargs {
                        self.dict_set(&mut d, Value::str(k), x);
                    }
                    *v = Value::Dict(d);
                    Ok(Value::None)
                }
                "setdefault" => {
                    let Some(k) = args.first().cloned() else {
                        return Err(self.raise(
                            "TypeError",
                            "setdefault expected at least 1 argument",
                            range,
                        ));
                    };
                    if let Some((_, x)) = kv.iter().find(|(kk, _)| py_eq(kk, &k) == Some(true)) {
                        return Ok(x.clone());
                    }
                    let d = args.get(1).cloned().unwrap_or(Value::None);
                    kv.push((k, d.clone()));
                    Ok(d)
                }
                "pop" => {
                    let Some(k) = args.first() else {
                        return Err(self.raise(
                            "TypeError",
                            "pop expected at least 1 argument",
                            range,
                        ));
                    };
                    match kv.iter().position(|(kk, _)| py_eq(kk, k) == Some(true)) {
                        Some(p) => Ok(kv.remove(p).1),
                        None => match args.get(1) {
                            Some(d) => Ok(d.clone()),
                            None => {
                                let shown = strings::py_repr(k).unwrap_or_else(|_| "?".into());
                                Err(self.raise("KeyError", shown, range))
                            }
                        },
                    }
                }
                "popitem" => match kv.pop() {
                    Some((k, x)) => Ok(Value::Tuple(vec![k, x])),
                    None => Err(self.raise("KeyError", "'popitem(): dictionary is empty'", range)),
                },
                "clear" => {
                    kv.clear();
                    Ok(Value::None)
                }
                _ => Ok(self.unknown(format!("dict.{name}() is not modelled"), range)),
            },
            Value::Set(items) => match name {
                "add" => {
                    if let Some(x) = args.into_iter().next()
                        && contains(items, &x) != Some(true)
                    {
                        items.push(x);
                    }
                    Ok(Value::None)
                }
                "discard" | "remove" => {
                    let Some(x) = args.first() else {
                        return Err(self.raise(
                            "TypeError",
                            format!("set.{name}() takes exactly one argument"),
                            range,
                        ));
                    };
                    match items.iter().position(|i| py_eq(i, x) == Some(true)) {
                        Some(p) => {
                            items.remove(p);
                            Ok(Value::None)
                        }
                        None if name == "discard" => Ok(Value::None),
                        None => {
                            let shown = strings::py_repr(x).unwrap_or_else(|_| "?".into());
                            Err(self.raise("KeyError", shown, range))
                        }
                    }
                }
                "clear" => {
                    items.clear();
                    Ok(Value::None)
                }
                "pop" => match items.pop() {
                    Some(x) => Ok(x),
                    None => Err(self.raise("KeyError", "'pop from an empty set'", range)),
                },
                "update" => {
                    for a in args {
                        match self.iterate(a, range)? {
                            Ok(more) => {
                                if let Value::Set(items) = v {
                                    for x in more {
                                        if contains(items, &x) != Some(true) {
                                            items.push(x);
                                        }
                                    }
                                }
                            }
                            Err(u) => {
                                *v = u;
                                break;
                            }
                        }
                    }
                    Ok(Value::None)
                }
                _ => Ok(self.unknown(format!("set.{name}() is not modelled"), range)),
            },
            Value::Unknown(_) => Ok(v.clone()),
            other => Ok(self.unknown(
                format!("`{}.{name}()` is not modelled", other.type_name()),
                range,
            )),
        }
    }

    /// `template.format(*args, **kwargs)`.
    pub(crate) fn str_format(
        &mut self,
        template: &PyStr,
        args: &[Value],
        kwargs: &[(String, Value)],
        range: TextRange,
    ) -> Eval {
        let pieces = match strings::parse_format_template(&template.value) {
            Ok(p) => p,
            Err(e) => return self.str_error(e, range),
        };
        let mut out = StrBuf::new();
        let mut auto = 0usize;
        for piece in pieces {
            match piece {
                Piece::Literal(a, b) => out.push_slice(template, a, b),
                Piece::Brace(c) => out.push_plain(if c == '{' { "{" } else { "}" }),
                Piece::Field(f) => {
                    let (head, rest) = split_field_name(f.name);
                    let mut v = if head.is_empty() {
                        let v = args.get(auto).cloned();
                        auto += 1;
                        match v {
                            Some(v) => v,
                            None => return Err(self.raise(
                                "IndexError",
                                format!(
                                    "Replacement index {} out of range for positional args tuple",
                                    auto - 1
                                ),
                                range,
                            )),
                        }
                    } else if let Ok(i) = head.parse::<usize>() {
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(self.raise(
                                "IndexError",
                                format!(
                                    "Replacement index {i} out of range for positional args tuple"
                                ),
                                range,
                            )),
                        }
                    } else {
                        match kwarg(kwargs, head) {
                            Some(v) => v.clone(),
                            None => {
                                return Err(self.raise("KeyError", strings::str_repr(head), range));
                            }
                        }
                    };
                    for acc in rest {
                        v = match acc {
                            Accessor::Attr(a) => self.get_attr(v, a, range)?,
                            Accessor::Index(k) => {
                                let key = match k.parse::<i64>() {
                                    Ok(i) => Value::Int(i),
                                    Err(_) => Value::str(k),
                                };
                                self.getitem(v, key, range)?
                            }
                        };
                    }
                    // Nested fields in the spec (`{:{width}}`).
                    let spec = if f.spec.contains('{') {
                        match self.str_format(&PyStr::plain(f.spec), args, kwargs, range)? {
                            Value::Str(s) => s.value.to_string(),
                            other => return Ok(other),
                        }
                    } else {
                        f.spec.to_owned()
                    };
                    match self.format_field(&v, f.conversion, &spec, range)? {
                        Ok(s) => out.push(&s),
                        Err(u) => return Ok(u),
                    }
                }
            }
        }
        Ok(Value::Str(out.finish()))
    }
}

enum Accessor<'s> {
    Attr(&'s str),
    Index(&'s str),
}

/// `0.name[key]` -> ("0", [Attr("name"), Index("key")]).
fn split_field_name(name: &str) -> (&str, Vec<Accessor<'_>>) {
    let end = name.find(['.', '[']).unwrap_or(name.len());
    let (head, mut rest) = name.split_at(end);
    let mut acc = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let e = r.find(['.', '[']).unwrap_or(r.len());
            acc.push(Accessor::Attr(&r[..e]));
            rest = &r[e..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let e = r.find(']').unwrap_or(r.len());
            acc.push(Accessor::Index(&r[..e]));
            rest = r.get(e + 1..).unwrap_or("");
        } else {
            break;
        }
    }
    (head, acc)
}

/// `x < y` for sorting; `Err(())` when Python raises TypeError.
fn self_less(x: &Value, y: &Value) -> Result<Option<bool>, ()> {
    use Value as V;
    match (x, y) {
        (V::Int(_) | V::Bool(_) | V::Float(_), V::Int(_) | V::Bool(_) | V::Float(_)) => {
            let f = |v: &Value| match v {
                V::Float(f) => *f,
                o => o.as_int().unwrap_or(0) as f64,
            };
            if let (Some(a), Some(b)) = (
                x.as_int().filter(|_| !matches!(x, V::Float(_))),
                y.as_int().filter(|_| !matches!(y, V::Float(_))),
            ) {
                return Ok(Some(a < b));
            }
            Ok(Some(f(x) < f(y)))
        }
        (V::Str(a), V::Str(b)) => Ok(Some(a.value < b.value)),
        (V::List(a), V::List(b)) | (V::Tuple(a), V::Tuple(b)) => {
            for (p, q) in a.iter().zip(b) {
                match py_eq(p, q) {
                    Some(true) => continue,
                    Some(false) => return self_less(p, q),
                    None => return Ok(None),
                }
            }
            Ok(Some(a.len() < b.len()))
        }
        (V::Object(_), V::Object(_)) => match (x.object::<Obj>(), y.object::<Obj>()) {
            (Some(Obj::EnumMember(a)), Some(Obj::EnumMember(b))) if a.mixin && b.mixin => {
                self_less(&a.value, &b.value)
            }
            _ => Ok(None),
        },
        (V::Unknown(_) | V::Symbol(_) | V::Call(_) | V::Host(_) | V::Object(_), _)
        | (_, V::Unknown(_) | V::Symbol(_) | V::Call(_) | V::Host(_) | V::Object(_)) => Ok(None),
        _ => Err(()),
    }
}

fn round_half_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - f.signum()
    } else {
        r
    }
}

/// `isinstance(v, t)` for built-in types and project classes.
fn isinstance(v: &Value, t: &Value) -> Option<bool> {
    match t {
        Value::Tuple(items) => {
            let mut undecided = false;
            for i in items {
                match isinstance(v, i) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => undecided = true,
                }
            }
            if undecided { None } else { Some(false) }
        }
        Value::Symbol(s) => {
            let Some(b) = s.path.strip_prefix("builtins.") else {
                return match v {
                    // A plain Python value is never an instance of a library
                    // class, except for the abstract collection types.
                    Value::None
                    | Value::Bool(_)
                    | Value::Int(_)
                    | Value::Float(_)
                    | Value::Str(_)
                    | Value::Bytes(_)
                        if !s.path.starts_with("collections")
                            && !s.path.starts_with("typing")
                            && !s.path.starts_with("numbers") =>
                    {
                        Some(false)
                    }
                    _ => None,
                };
            };
            Some(match (b, v) {
                ("object", _) => true,
                (_, Value::Unknown(_) | Value::Symbol(_) | Value::Call(_) | Value::Host(_)) => {
                    return None;
                }
                ("str", Value::Str(_)) => true,
                ("bytes", Value::Bytes(_)) => true,
                ("int", Value::Int(_) | Value::Bool(_)) => true,
                ("bool", Value::Bool(_)) => true,
                ("float", Value::Float(_)) => true,
                ("list", Value::List(_)) => true,
                ("tuple", Value::Tuple(_)) => true,
                ("dict", Value::Dict(_)) => true,
                ("set" | "frozenset", Value::Set(_)) => true,
                ("NoneType", Value::None) => true,
                (_, Value::Object(o)) => match o.as_any().downcast_ref::<Obj>() {
                    Some(Obj::EnumMember(m)) if m.mixin => {
                        matches!(
                            (b, &m.value),
                            ("str", Value::Str(_)) | ("int", Value::Int(_))
                        )
                    }
                    Some(Obj::Instance(i)) => {
                        return if i
                            .class
                            .mro
                            .iter()
                            .any(|e| e.as_symbol().is_some_and(|x| x.path == s.path))
                        {
                            Some(true)
                        } else if i.class.mro.iter().all(|e| {
                            e.object::<Obj>().is_some()
                                || e.as_symbol()
                                    .is_some_and(|x| x.path.starts_with("builtins."))
                        }) {
                            Some(false)
                        } else {
                            None
                        };
                    }
                    Some(Obj::Class(_)) => b == "type",
                    _ => false,
                },
                _ => false,
            })
        }
        Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
            Some(Obj::Class(c)) => match v.object::<Obj>() {
                Some(Obj::Instance(i)) => Some(i.class.is_subclass_of(c)),
                Some(Obj::EnumMember(m)) => Some(m.class_id == c.id),
                _ => match v {
                    Value::Unknown(_) | Value::Symbol(_) | Value::Call(_) => None,
                    _ => Some(false),
                },
            },
            _ => None,
        },
        _ => None,
    }
}
