//! Calls, attributes, instances, and the SQLAlchemy type-class rules.

use std::collections::HashMap;
use std::sync::Arc;

use ruff_python_ast::name::Name;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::objects::{ClassKind, ClassObj, FuncKind, FuncObj, InstanceObj, Lookup, Obj, lock};
use super::strings::{self, StrError};
use super::{
    Abort, Eval, Evaluator, Flow, Frame, describe_call, describe_unknown, find_def, find_lambda,
};
use crate::python::host::Access;
use crate::python::project::sub_suites;
use crate::python::syntax::MUTATING_METHODS;
use crate::python::value::{Call, Callee, PyStr, Symbol, Value};
use crate::source::Loc;

use crate::python::types::RAW_TYPE;

/// Keyword arguments, in call order.
pub(crate) type Kwargs = Vec<(String, Value)>;

impl Evaluator<'_> {
    pub(crate) fn eval_args(&mut self, a: &ast::Arguments) -> Result<(Vec<Value>, Kwargs), Abort> {
        let mut args = Vec::with_capacity(a.args.len());
        for e in a.args.iter() {
            if let Expr::Starred(s) = e {
                let v = self.eval(&s.value)?;
                match self.iterate(v, s.range)? {
                    Ok(items) => args.extend(items),
                    Err(u) => args.push(u),
                }
            } else {
                args.push(self.eval(e)?);
            }
        }
        let mut kwargs = Vec::with_capacity(a.keywords.len());
        for k in a.keywords.iter() {
            let v = self.eval(&k.value)?;
            match &k.arg {
                Some(name) => kwargs.push((name.to_string(), v)),
                None => match v {
                    Value::Dict(kv) => {
                        for (key, val) in kv {
                            match key.as_str() {
                                Some(s) => kwargs.push((s.to_owned(), val)),
                                None => {
                                    return Err(self.raise(
                                        "TypeError",
                                        "keywords must be strings",
                                        k.range,
                                    ));
                                }
                            }
                        }
                    }
                    other => {
                        let u = match other {
                            Value::Unknown(_) => other,
                            o => self.unknown(format!("`**` of {}", describe_unknown(&o)), k.range),
                        };
                        kwargs.push(("**".to_owned(), u));
                    }
                },
            }
        }
        Ok((args, kwargs))
    }

    pub(crate) fn eval_call(&mut self, c: &ast::ExprCall, for_effect: bool) -> Eval {
        let range = c.range();
        if let Expr::Attribute(attr) = &*c.func {
            let recv = self.eval(&attr.value)?;
            let name = attr.attr.as_str();
            if matches!(recv, Value::List(_) | Value::Dict(_) | Value::Set(_))
                && MUTATING_METHODS.contains(&name)
            {
                let (args, kwargs) = self.eval_args(&c.arguments)?;
                return self.mutating_method(&attr.value, recv, name, args, kwargs, range);
            }
            let (args, kwargs) = self.eval_args(&c.arguments)?;
            return self.call_method(recv, name, args, kwargs, range, for_effect);
        }
        let callee = self.eval(&c.func)?;
        let (args, kwargs) = self.eval_args(&c.arguments)?;
        let loc = self.loc(range);
        self.call_value(callee, args, kwargs, loc, for_effect)
    }

    /// `recv.name(...)`.
    pub(crate) fn call_method(
        &mut self,
        recv: Value,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
        for_effect: bool,
    ) -> Eval {
        let loc = self.loc(range);
        match &recv {
            Value::Symbol(s) => {
                let callee = Value::Symbol(Symbol::new(format!("{}.{name}", s.path)));
                self.call_value(callee, args, kwargs, loc, for_effect)
            }
            Value::Host(h) => {
                let call = Call {
                    callee: Callee::Method {
                        receiver: recv.clone(),
                        name: name.to_owned(),
                    },
                    args,
                    kwargs,
                    loc,
                };
                let h = h.clone();
                if let Some(r) = self.host_call_on_alternatives(&h, &call) {
                    return r;
                }
                self.host.call_method(&h, name, &call)
            }
            Value::Call(_) => {
                let call = Call {
                    callee: Callee::Method {
                        receiver: recv.clone(),
                        name: name.to_owned(),
                    },
                    args,
                    kwargs,
                    loc,
                };
                self.library_call(call, for_effect)
            }
            Value::Unknown(u) => {
                if !for_effect
                    && let Some(r) =
                        self.builder_step_on_alternatives(&recv, name, &args, &kwargs, range)
                {
                    return r;
                }
                let reason = format!("`.{name}()` on a value that is not known: {}", u.reason);
                // `rows.append(x)` on a list the reader lost track of: no
                // object with an effect outside Python has these methods
                // (an ORM session's `add` only writes rows), so the call is
                // no operation migsim misses.
                let for_effect = for_effect && !MUTATING_METHODS.contains(&name);
                Ok(self.unknown_call(reason, loc, for_effect, &args, &kwargs))
            }
            Value::Object(_) => {
                let f = self.get_attr(recv.clone(), name, range)?;
                self.call_value(f, args, kwargs, loc, for_effect)
            }
            _ => self.builtin_method(recv, name, args, kwargs, range),
        }
    }

    /// Calls a value.
    pub(crate) fn call_value(
        &mut self,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        loc: Loc,
        for_effect: bool,
    ) -> Eval {
        let range = TextRange::new(loc.span.start.into(), loc.span.end.into());
        match callee {
            Value::Symbol(s) => {
                if let Some(b) = s.path.strip_prefix("builtins.") {
                    let b = b.to_owned();
                    return self.call_builtin(&b, args, kwargs, range);
                }
                let args = self.instantiate_type_classes(args, range)?;
                let kwargs = {
                    let mut out = Vec::with_capacity(kwargs.len());
                    for (k, v) in kwargs {
                        let v = self.instantiate_type_class(v, range)?;
                        out.push((k, v));
                    }
                    out
                };
                let kwargs = self.precompute_values_callable(&args, kwargs, range)?;
                if let Some(v) = self.library_function(&s, &args, &kwargs, range)? {
                    return Ok(v);
                }
                let call = Call {
                    callee: Callee::Symbol(s),
                    args,
                    kwargs,
                    loc,
                };
                self.library_call(call, for_effect)
            }
            Value::Object(ref o) => match o.as_any().downcast_ref::<Obj>() {
                Some(Obj::Function(f)) => {
                    let f = Arc::clone(f);
                    self.call_function(&f, None, args, kwargs, &loc)
                }
                Some(Obj::BoundMethod { func, receiver }) => {
                    let (f, r) = (Arc::clone(func), receiver.clone());
                    self.call_function(&f, Some(r), args, kwargs, &loc)
                }
                Some(Obj::Class(c)) => {
                    let c = Arc::clone(c);
                    self.instantiate(&c, args, kwargs, range)
                }
                Some(Obj::BuiltinMethod { receiver, name }) => {
                    let (r, n) = (receiver.clone(), name.clone());
                    if let Some(Obj::Dialect) = r.object::<Obj>() {
                        return self.dialect_method(&n, args, range);
                    }
                    if let Some(Obj::Instance(i)) = r.object::<Obj>()
                        && n == "__td_load_dialect_impl"
                    {
                        return Ok(i.get("impl").unwrap_or_else(|| {
                            self.unknown("TypeDecorator without `impl`", range)
                        }));
                    }
                    self.call_method(r, &n, args, kwargs, range, for_effect)
                }
                Some(Obj::BaseInit(inst)) => {
                    *lock(&inst.base_init) = Some((args, kwargs));
                    Ok(Value::None)
                }
                Some(Obj::Builtin(name)) => {
                    let name = *name;
                    self.call_builtin(name, args, kwargs, range)
                }
                _ => {
                    let callee = callee.clone();
                    match self.get_attr(callee.clone(), "__call__", range) {
                        Ok(f @ Value::Object(_)) => {
                            self.call_value(f, args, kwargs, loc, for_effect)
                        }
                        _ => Err(self.raise(
                            "TypeError",
                            format!("'{}' object is not callable", callee.type_name()),
                            range,
                        )),
                    }
                }
            },
            Value::Call(_) => {
                let call = Call {
                    callee: Callee::Method {
                        receiver: callee,
                        name: "__call__".into(),
                    },
                    args,
                    kwargs,
                    loc,
                };
                self.library_call(call, for_effect)
            }
            Value::Host(h) => {
                let call = Call {
                    callee: Callee::Method {
                        receiver: Value::Host(h.clone()),
                        name: "__call__".into(),
                    },
                    args,
                    kwargs,
                    loc,
                };
                self.host.call_method(&h, "__call__", &call)
            }
            Value::Unknown(u) => {
                let reason = format!("call to a function that is not known: {}", u.reason);
                Ok(self.unknown_call(reason, loc, for_effect, &args, &kwargs))
            }
            other => Err(self.raise(
                "TypeError",
                format!("'{}' object is not callable", other.type_name()),
                range,
            )),
        }
    }

    /// A call into a library: the host may own it (`op.*`, `sa.inspect`);
    /// otherwise it stays symbolic. A library call handed the database
    /// connection may change the schema out of sight: opaque.
    fn library_call(&mut self, call: Call, for_effect: bool) -> Eval {
        if let Some(r) = self.host.call_symbol(&call) {
            return r;
        }
        let gets_connection = call
            .args
            .iter()
            .chain(call.kwargs.iter().map(|(_, v)| v))
            .any(|v| {
                matches!(v, Value::Host(_))
                    || v.as_symbol().is_some_and(|s| &*s.path == "alembic.op")
            });
        if gets_connection && self.host.is_migration() {
            let what = describe_call(&call);
            let loc = call.loc.clone();
            self.opaque(
                format!(
                    "`{what}` is given the database connection; what it does there is not simulated"
                ),
                loc.clone(),
                1,
            );
            return Ok(Value::unknown(
                format!("result of `{what}`, which was not simulated"),
                loc,
            ));
        }
        let _ = for_effect;
        Ok(Value::Call(Arc::new(call)))
    }

    /// A call whose callee is not known: opaque when made for its effect or
    /// handed the connection.
    fn unknown_call(
        &mut self,
        reason: String,
        loc: Loc,
        for_effect: bool,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Value {
        let gets_connection = args.iter().chain(kwargs.iter().map(|(_, v)| v)).any(|v| {
            matches!(v, Value::Host(_)) || v.as_symbol().is_some_and(|s| &*s.path == "alembic.op")
        });
        if (for_effect || gets_connection)
            && self.host.is_migration()
            && (!self.in_import() || gets_connection)
        {
            self.opaque(reason.clone(), loc.clone(), 1);
        }
        Value::unknown(reason, loc)
    }

    /// `values_callable=f` beside project enum classes: `f(class)` is
    /// computed now (see [`Obj::EnumValues`]).
    fn precompute_values_callable(
        &mut self,
        args: &[Value],
        mut kwargs: Kwargs,
        range: TextRange,
    ) -> Result<Kwargs, Abort> {
        let Some(pos) = kwargs.iter().position(|(k, v)| {
            k == "values_callable"
                && matches!(
                    v.object::<Obj>(),
                    Some(Obj::Function(_) | Obj::BoundMethod { .. })
                )
        }) else {
            return Ok(kwargs);
        };
        let func = kwargs[pos].1.clone();
        let mut results = Vec::new();
        for a in args {
            if let Some(Obj::Class(c)) = a.object::<Obj>()
                && c.kind == ClassKind::Enum
            {
                let loc = self.loc(range);
                let r = match self.call_value(func.clone(), vec![a.clone()], Vec::new(), loc, false)
                {
                    Ok(v) => v,
                    // SQLAlchemy calls it when the type is built; an error
                    // there leaves the values unknown here.
                    Err(Abort::Raise(e)) => {
                        self.unknown(format!("values_callable raises {}", e.describe()), range)
                    }
                    Err(e) => return Err(e),
                };
                results.push((c.name.clone(), r));
            }
        }
        if !results.is_empty() {
            kwargs[pos].1 = Obj::EnumValues { func, results }.value();
        }
        Ok(kwargs)
    }

    /// Library functions whose result the evaluator computes.
    fn library_function(
        &mut self,
        s: &Symbol,
        args: &[Value],
        kwargs: &[(String, Value)],
        range: TextRange,
    ) -> Result<Option<Value>, Abort> {
        let path = &*s.path;
        let name = s.name();
        Ok(Some(match path {
            // `op.f("name")` / `conv("name")`: a final name.
            "alembic.op.f"
            | "sqlalchemy.sql.elements.conv"
            | "sqlalchemy.schema.conv"
            | "sqlalchemy.sql.naming.conv" => {
                match args
                    .first()
                    .or_else(|| kwargs.iter().find(|(k, _)| k == "name").map(|(_, v)| v))
                {
                    Some(Value::Str(p)) => {
                        let mut p = p.clone();
                        p.conv = true;
                        Value::Str(p)
                    }
                    Some(other) => other.clone(),
                    None => {
                        return Err(self.raise(
                            "TypeError",
                            "f() missing 1 required positional argument: 'name'",
                            range,
                        ));
                    }
                }
            }
            "textwrap.dedent" => match args.first() {
                Some(Value::Str(p)) => Value::Str(strings::dedent(p)),
                Some(u @ Value::Unknown(_)) => u.clone(),
                _ => return Ok(None),
            },
            "os.path.join" | "posixpath.join" => {
                let mut out = String::new();
                for a in args {
                    match a {
                        Value::Str(p) => {
                            if p.value.starts_with('/') {
                                out.clear();
                            } else if !out.is_empty() && !out.ends_with('/') {
                                out.push('/');
                            }
                            out.push_str(&p.value);
                        }
                        other => {
                            return Ok(Some(self.unknown(
                                format!("path part {}", describe_unknown(other)),
                                range,
                            )));
                        }
                    }
                }
                Value::str(out)
            }
            "os.path.dirname" | "os.path.basename" => match args.first() {
                Some(Value::Str(p)) => {
                    let (dir, base) = p.value.rsplit_once('/').unwrap_or(("", &p.value));
                    Value::str(if name == "dirname" { dir } else { base })
                }
                _ => return Ok(None),
            },
            "json.dumps" => match args.first().map(json_text) {
                Some(Some(t)) if kwargs.is_empty() => Value::str(t),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        }))
    }

    // ----- project functions -----

    pub(crate) fn call_function(
        &mut self,
        f: &Arc<FuncObj>,
        receiver: Option<Value>,
        mut args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        loc: &Loc,
    ) -> Eval {
        let range = TextRange::new(loc.span.start.into(), loc.span.end.into());
        if f.run != self.run {
            return Ok(Value::unknown(
                "a function from another evaluation",
                loc.clone(),
            ));
        }
        if f.is_generator {
            let reason = format!(
                "`{}` is a generator function; generators are not modelled",
                f.name
            );
            return Ok(self.unknown_call(reason, loc.clone(), false, &args, &kwargs));
        }
        if self.call_depth >= self.cfg.max_call_depth.min(self.speculation_calls) {
            let reason = format!(
                "call depth limit ({}) reached calling `{}`",
                self.cfg.max_call_depth.min(self.speculation_calls),
                f.name
            );
            return Ok(self.unknown_call(reason, loc.clone(), true, &args, &kwargs));
        }
        if let Some(r) = receiver.clone() {
            args.insert(0, r);
        }
        let src = self.modules[f.module].src.clone();
        let Some(pm) = src.get() else {
            return Ok(Value::unknown("function source not available", loc.clone()));
        };
        enum Body<'b> {
            Def(&'b ast::StmtFunctionDef),
            Lambda(&'b ast::ExprLambda),
        }
        let body = if f.is_lambda {
            find_lambda(&pm.module.body, f.site).map(Body::Lambda)
        } else {
            find_def(&pm.module.body, f.site).map(Body::Def)
        };
        let Some(body) = body else {
            return Ok(Value::unknown("function source not found", loc.clone()));
        };
        // A function called again, on values none of which is known, from
        // inside its own run on values none of which is known: every path
        // of its body is being run already (each unknown condition is
        // speculated), so this call can do nothing they do not, and what
        // it returns is not known. Running it would only recurse until a
        // limit makes the whole region opaque (a walk over a JSON value
        // read from the database).
        let all_unknown = self.speculating > 0
            && !(args.is_empty() && kwargs.is_empty())
            && args
                .iter()
                .chain(kwargs.iter().map(|(_, v)| v))
                .all(Value::is_unknown);
        let rebinds_outer = || match &body {
            Body::Def(d) => declares_outer_names(&d.body),
            Body::Lambda(_) => false,
        };
        if all_unknown && self.unknown_calls.contains(&Arc::as_ptr(f)) && !rebinds_outer() {
            return Ok(Value::unknown(
                format!(
                    "`{}` called again on values that are not known statically",
                    f.name
                ),
                loc.clone(),
            ));
        }
        let empty = ast::Parameters::default();
        let params: &ast::Parameters = match &body {
            Body::Def(d) => &d.parameters,
            Body::Lambda(l) => l.parameters.as_deref().unwrap_or(&empty),
        };
        let locals = self.bind_params(f, params, args, kwargs, range)?;
        let owner = f.owner.get().and_then(|w| w.upgrade());
        let first_arg = params
            .posonlyargs
            .iter()
            .chain(params.args.iter())
            .next()
            .and_then(|p| locals.get(p.parameter.name.as_str()).cloned());
        self.frames.push(Frame {
            module: f.module,
            locals: Some(locals),
            order: None,
            closure: f.closure.clone(),
            globals_decl: Vec::new(),
            owner,
            first_arg,
        });
        self.call_depth += 1;
        self.active.push(loc.clone());
        self.maybe_returned.push(None);
        if all_unknown {
            self.unknown_calls.push(Arc::as_ptr(f));
        }
        let r = match body {
            Body::Def(d) => self.exec_body(&d.body).map(|flow| match flow {
                Flow::Return(v) => v,
                _ => Value::None,
            }),
            Body::Lambda(l) => self.eval(&l.body),
        };
        if all_unknown {
            self.unknown_calls.pop();
        }
        let maybe_returned = self.maybe_returned.pop().flatten();
        self.active.pop();
        self.call_depth -= 1;
        self.frames.pop();
        match (r, maybe_returned) {
            (Ok(_), Some(reason)) => Ok(Value::unknown(
                format!(
                    "`{}` may have returned in code that was not run ({reason})",
                    f.name
                ),
                loc.clone(),
            )),
            (r, _) => r,
        }
    }

    fn bind_params(
        &mut self,
        f: &FuncObj,
        p: &ast::Parameters,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Result<HashMap<Name, Value>, Abort> {
        let mut locals: HashMap<Name, Value> = HashMap::new();
        let positional: Vec<&ast::ParameterWithDefault> =
            p.posonlyargs.iter().chain(p.args.iter()).collect();
        let mut args = args.into_iter();
        for param in &positional {
            match args.next() {
                Some(v) => {
                    locals.insert(param.parameter.name.id.clone(), v);
                }
                None => break,
            }
        }
        let rest: Vec<Value> = args.collect();
        match &p.vararg {
            Some(va) => {
                locals.insert(va.name.id.clone(), Value::Tuple(rest));
            }
            None if !rest.is_empty() => {
                return Err(self.raise(
                    "TypeError",
                    format!(
                        "{}() takes {} positional arguments but {} were given",
                        f.name,
                        positional.len(),
                        positional.len() + rest.len()
                    ),
                    range,
                ));
            }
            None => {}
        }
        let mut extra: Vec<(Value, Value)> = Vec::new();
        for (k, v) in kwargs {
            if k == "**" {
                // Unknown `**kwargs`: every parameter not given is unknown.
                for param in positional.iter().copied().chain(p.kwonlyargs.iter()) {
                    locals
                        .entry(param.parameter.name.id.clone())
                        .or_insert_with(|| v.clone());
                }
                continue;
            }
            let is_named = positional
                .iter()
                .skip(p.posonlyargs.len())
                .copied()
                .chain(p.kwonlyargs.iter())
                .any(|q| q.parameter.name.as_str() == k);
            if is_named {
                if locals.contains_key(k.as_str()) {
                    return Err(self.raise(
                        "TypeError",
                        format!("{}() got multiple values for argument '{k}'", f.name),
                        range,
                    ));
                }
                locals.insert(Name::new(&k), v);
            } else if p.kwarg.is_some() {
                extra.push((Value::str(k), v));
            } else {
                return Err(self.raise(
                    "TypeError",
                    format!("{}() got an unexpected keyword argument '{k}'", f.name),
                    range,
                ));
            }
        }
        if let Some(kw) = &p.kwarg {
            locals.insert(kw.name.id.clone(), Value::Dict(extra));
        }
        for param in positional.iter().copied().chain(p.kwonlyargs.iter()) {
            let n = &param.parameter.name.id;
            if locals.contains_key(n) {
                continue;
            }
            match f.defaults.iter().find(|(d, _)| d == n) {
                Some((_, v)) => {
                    locals.insert(n.clone(), v.clone());
                }
                None => {
                    return Err(self.raise(
                        "TypeError",
                        format!("{}() missing 1 required positional argument: '{n}'", f.name),
                        range,
                    ));
                }
            }
        }
        Ok(locals)
    }

    // ----- attributes -----

    pub(crate) fn get_attr(&mut self, base: Value, name: &str, range: TextRange) -> Eval {
        match &base {
            Value::Symbol(s) => Ok(Value::Symbol(Symbol::new(format!("{}.{name}", s.path)))),
            Value::Host(h) => {
                let loc = self.loc(range);
                let h = h.clone();
                self.host.get_attr(&h, name, &loc)
            }
            Value::Call(_) => {
                let loc = self.loc(range);
                if let Some(r) = self.host.access(&base, Access::Attr(name), &loc) {
                    return r;
                }
                Ok(Value::Call(Arc::new(Call {
                    callee: Callee::Symbol(Symbol::new("builtins.getattr")),
                    args: vec![base.clone(), Value::str(name)],
                    kwargs: Vec::new(),
                    loc,
                })))
            }
            Value::Unknown(_) => Ok(base),
            Value::Object(o) => {
                self.object_attr(o.as_any().downcast_ref::<Obj>(), &base, name, range)
            }
            Value::Str(_)
            | Value::List(_)
            | Value::Dict(_)
            | Value::Set(_)
            | Value::Tuple(_)
            | Value::Bytes(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::None => {
                if matches!(base, Value::Int(_) | Value::Float(_) | Value::Bool(_))
                    && matches!(name, "real" | "imag" | "numerator" | "denominator")
                {
                    return Ok(if name == "imag" {
                        Value::Int(0)
                    } else {
                        base.clone()
                    });
                }
                if builtin_has_method(&base, name) {
                    return Ok(Obj::BuiltinMethod {
                        receiver: base.clone(),
                        name: name.to_owned(),
                    }
                    .value());
                }
                Err(self.raise(
                    "AttributeError",
                    format!("'{}' object has no attribute '{name}'", base.type_name()),
                    range,
                ))
            }
        }
    }

    fn object_attr(
        &mut self,
        obj: Option<&Obj>,
        base: &Value,
        name: &str,
        range: TextRange,
    ) -> Eval {
        let Some(obj) = obj else {
            return Ok(self.unknown(format!("attribute `{name}` of an unknown object"), range));
        };
        match obj {
            Obj::Module(m) => {
                if m.run != self.run {
                    return Ok(self.unknown("a module from another evaluation", range));
                }
                let key = m.key;
                if let Some(v) = self.modules[key].globals.get(name) {
                    return Ok(v.clone());
                }
                let full = format!("{}.{name}", self.modules[key].name);
                if let Some(project) = self.project
                    && !matches!(
                        project.lookup(&full),
                        crate::python::project::ModuleLookup::Missing
                            | crate::python::project::ModuleLookup::External
                    )
                {
                    return self.import_module(&full, range);
                }
                let state = &self.modules[key];
                if state.open_namespace
                    || !state.star_libraries.is_empty()
                    || state.globals.contains_key("__getattr__")
                {
                    return Ok(self.unknown(format!("`{full}` is not known statically"), range));
                }
                Err(self.raise(
                    "AttributeError",
                    format!("module '{}' has no attribute '{name}'", state.name),
                    range,
                ))
            }
            Obj::Class(c) => {
                if name == "__name__" || name == "__qualname__" {
                    return Ok(Value::str(c.name.as_str()));
                }
                if name == "__dict__" && c.own_attr(name).is_none() {
                    // The class namespace: `__module__`, the body's names,
                    // `__doc__` (the descriptors Python adds are left out).
                    let mut items = vec![(Value::str("__module__"), Value::str(c.module.as_str()))];
                    items.extend(
                        lock(&c.attrs)
                            .iter()
                            .filter(|(k, _)| k.as_str() != "__module__" && k.as_str() != "__doc__")
                            .map(|(k, v)| (Value::str(k.as_str()), v.clone())),
                    );
                    let doc = match c.own_attr("__doc__") {
                        Some(d) => d,
                        None => c.doc.as_deref().map(Value::str).unwrap_or(Value::None),
                    };
                    items.push((Value::str("__doc__"), doc));
                    return Ok(Value::Dict(items));
                }
                // Every class namespace holds these two (never inherited).
                if (name == "__doc__" || name == "__module__") && c.own_attr(name).is_none() {
                    return Ok(match name {
                        "__module__" => Value::str(c.module.as_str()),
                        _ => c.doc.as_deref().map(Value::str).unwrap_or(Value::None),
                    });
                }
                if name == "__members__" && c.kind == ClassKind::Enum {
                    return Ok(Value::Dict(
                        c.members
                            .iter()
                            .map(|m| {
                                (
                                    Value::str(m.name.as_str()),
                                    Obj::EnumMember(Arc::clone(m)).value(),
                                )
                            })
                            .collect(),
                    ));
                }
                match c.lookup(name) {
                    Lookup::Found(v, _) => {
                        if let Some(attr) = self.mapped_column_attr(c, name, &v, range) {
                            return Ok(attr);
                        }
                        Ok(self.bind_class_attr(v, base, c, true))
                    }
                    Lookup::Library(lib) => {
                        if name == "metadata"
                            && let Some(md) = declarative_registry_metadata(c, &lib)
                        {
                            return Ok(md);
                        }
                        Ok(self.library_attr(&lib, name, range))
                    }
                    Lookup::Missing => Err(self.raise(
                        "AttributeError",
                        format!("type object '{}' has no attribute '{name}'", c.name),
                        range,
                    )),
                }
            }
            Obj::Instance(i) => {
                if let Some(v) = i.get(name) {
                    return Ok(v);
                }

                if name == "__class__" {
                    return Ok(Obj::Class(Arc::clone(&i.class)).value());
                }
                let class = Arc::clone(&i.class);
                match class.lookup(name) {
                    Lookup::Found(v, _) => {
                        if let Some(Obj::Function(f)) = v.object::<Obj>()
                            && f.kind == FuncKind::Property
                        {
                            let f = Arc::clone(f);
                            let loc = self.loc(range);
                            return self.call_function(
                                &f,
                                Some(base.clone()),
                                Vec::new(),
                                Vec::new(),
                                &loc,
                            );
                        }
                        Ok(self.bind_class_attr(v, base, &class, false))
                    }
                    Lookup::Library(lib) => Ok(self.library_attr(&lib, name, range)),
                    Lookup::Missing => Err(self.raise(
                        "AttributeError",
                        format!("'{}' object has no attribute '{name}'", class.name),
                        range,
                    )),
                }
            }
            Obj::EnumMember(m) => match name {
                "name" | "_name_" => Ok(Value::str(m.name.as_str())),
                "value" | "_value_" => Ok(m.value.clone()),
                _ => Ok(self.unknown(
                    format!("attribute `{name}` of an enum member is not modelled"),
                    range,
                )),
            },
            Obj::Dialect => match name {
                "name" => Ok(Value::str("postgresql")),
                "type_descriptor" => Ok(Obj::BuiltinMethod {
                    receiver: base.clone(),
                    name: name.to_owned(),
                }
                .value()),
                _ => Ok(self.unknown(format!("`dialect.{name}` is not known statically"), range)),
            },
            Obj::Super { class, receiver } => {
                let target = match receiver.object::<Obj>() {
                    Some(Obj::Instance(i)) => Arc::clone(&i.class),
                    Some(Obj::Class(c)) => Arc::clone(c),
                    _ => return Ok(self.unknown("super() without a known instance", range)),
                };
                match target.lookup_after(name, Some(class.id)) {
                    Lookup::Found(v, owner) => Ok(self.bind_class_attr(v, receiver, &owner, false)),
                    Lookup::Library(_) => match (name, receiver.object::<Obj>()) {
                        ("__init__", Some(Obj::Instance(i))) => {
                            Ok(Obj::BaseInit(Arc::clone(i)).value())
                        }
                        ("load_dialect_impl", Some(Obj::Instance(_))) => Ok(Obj::BuiltinMethod {
                            receiver: receiver.clone(),
                            name: "__td_load_dialect_impl".into(),
                        }
                        .value()),
                        _ => Ok(self.unknown(
                            format!("`super().{name}` of a library class is not known statically"),
                            range,
                        )),
                    },
                    Lookup::Missing if name == "__init__" => {
                        Ok(Obj::Builtin("object.__init__").value())
                    }
                    Lookup::Missing => Err(self.raise(
                        "AttributeError",
                        format!("'super' object has no attribute '{name}'"),
                        range,
                    )),
                }
            }
            Obj::Function(f) => match name {
                "__name__" | "__qualname__" => Ok(Value::str(f.name.as_str())),
                _ => Ok(self.unknown(format!("attribute `{name}` of a function"), range)),
            },
            _ => Ok(self.unknown(
                format!("attribute `{name}` of a `{}` object", obj.type_name_str()),
                range,
            )),
        }
    }

    /// A class attribute read through a class (`via_class`) or an instance.
    fn bind_class_attr(
        &mut self,
        v: Value,
        receiver: &Value,
        class: &Arc<ClassObj>,
        via_class: bool,
    ) -> Value {
        if let Some(Obj::Function(f)) = v.object::<Obj>() {
            return match f.kind {
                FuncKind::StaticMethod => v.clone(),
                FuncKind::ClassMethod => Obj::BoundMethod {
                    func: Arc::clone(f),
                    receiver: Obj::Class(Arc::clone(class)).value(),
                }
                .value(),
                FuncKind::Plain | FuncKind::Property if !via_class => Obj::BoundMethod {
                    func: Arc::clone(f),
                    receiver: receiver.clone(),
                }
                .value(),
                _ => v.clone(),
            };
        }
        v
    }

    /// An attribute a library base class provides: a symbol under it.
    fn library_attr(&self, lib: &Value, name: &str, range: TextRange) -> Value {
        match lib {
            Value::Symbol(s) => Value::Symbol(Symbol::new(format!("{}.{name}", s.path))),
            other => self.unknown(
                format!(
                    "attribute `{name}` inherited from {}",
                    describe_unknown(other)
                ),
                range,
            ),
        }
    }

    pub(crate) fn set_attr(
        &mut self,
        base: Value,
        name: &str,
        v: Value,
        range: TextRange,
    ) -> Result<(), Abort> {
        self.journal_attrs(&base);
        match base.object::<Obj>() {
            Some(Obj::Instance(i)) => {
                i.set(name, v);
                Ok(())
            }
            Some(Obj::Class(c)) => {
                let mut attrs = lock(&c.attrs);
                match attrs.iter_mut().find(|(k, _)| k.as_str() == name) {
                    Some(slot) => slot.1 = v,
                    None => attrs.push((Name::new(name), v)),
                }
                Ok(())
            }
            Some(Obj::Module(m)) => {
                let key = m.key;
                let name = Name::new(name);
                self.journal_global(key, &name);
                self.modules[key].globals.insert(name, v);
                Ok(())
            }
            _ => match base {
                Value::Int(_)
                | Value::Str(_)
                | Value::None
                | Value::Bool(_)
                | Value::Float(_)
                | Value::List(_)
                | Value::Dict(_)
                | Value::Tuple(_)
                | Value::Set(_)
                | Value::Bytes(_) => Err(self.raise(
                    "AttributeError",
                    format!("'{}' object has no attribute '{name}'", base.type_name()),
                    range,
                )),
                // Library objects and unknowns: not tracked.
                _ => Ok(()),
            },
        }
    }

    // ----- classes and the SQLAlchemy type rules -----

    pub(crate) fn instantiate(
        &mut self,
        c: &Arc<ClassObj>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        match c.kind {
            ClassKind::Enum => {
                let Some(v) = args.first() else {
                    return Err(self.raise(
                        "TypeError",
                        "EnumMeta.__call__() missing 1 required positional argument: 'value'",
                        range,
                    ));
                };
                let mut undecided = false;
                for m in &c.members {
                    match super::ops::py_eq(&m.value, v) {
                        Some(true) => return Ok(Obj::EnumMember(Arc::clone(m)).value()),
                        Some(false) => {}
                        None => undecided = true,
                    }
                }
                if let Some(Obj::EnumMember(m)) = v.object::<Obj>()
                    && m.class_id == c.id
                {
                    return Ok(v.clone());
                }
                if undecided {
                    return Ok(
                        self.unknown("enum member lookup by a value that is not known", range)
                    );
                }
                let shown = strings::py_repr(v).unwrap_or_else(|_| "?".into());
                Err(self.raise(
                    "ValueError",
                    format!("{shown} is not a valid {}", c.name),
                    range,
                ))
            }
            ClassKind::TypeDecorator => self.type_decorator(c, args, kwargs, range),
            ClassKind::UserDefinedType => {
                let inst = self.construct(c, args, kwargs, range)?;
                let Value::Object(o) = &inst else {
                    return Ok(inst);
                };
                let Some(Obj::Instance(i)) = o.as_any().downcast_ref::<Obj>() else {
                    return Ok(inst);
                };
                match c.lookup("get_col_spec") {
                    Lookup::Found(f, _) => {
                        let Some(Obj::Function(f)) = f.object::<Obj>() else {
                            return Ok(self.unknown("`get_col_spec` is not a function", range));
                        };
                        let f = Arc::clone(f);
                        let loc = self.loc(range);
                        let receiver = Obj::Instance(Arc::clone(i)).value();
                        let spec = self.type_hook(&c.name, &f, receiver, Vec::new(), &loc)?;
                        Ok(match spec {
                            Value::Str(s) => self.raw_type(s, range),
                            other => self.unknown(
                                format!(
                                    "`{}.get_col_spec()` is not a known string: {}",
                                    c.name,
                                    describe_unknown(&other)
                                ),
                                range,
                            ),
                        })
                    }
                    _ => Ok(self.unknown(format!("`{}` defines no `get_col_spec`", c.name), range)),
                }
            }
            ClassKind::LibrarySubclass => {
                let base = c.mro.iter().find(|e| e.as_symbol().is_some()).cloned();
                let inst = self.construct(c, args.clone(), kwargs.clone(), range)?;
                let (args, kwargs) = match inst.object::<Obj>() {
                    Some(Obj::Instance(i)) => match lock(&i.base_init).take() {
                        Some(given) => given,
                        None if matches!(c.lookup("__init__"), Lookup::Found(..)) => {
                            (Vec::new(), Vec::new())
                        }
                        None => (args, kwargs),
                    },
                    _ => (args, kwargs),
                };
                match base {
                    Some(Value::Symbol(s)) => Ok(Value::Call(Arc::new(Call {
                        callee: Callee::Symbol(s),
                        args,
                        kwargs,
                        loc: self.loc(range),
                    }))),
                    _ => Ok(inst),
                }
            }
            ClassKind::Plain | ClassKind::Exception => self.construct(c, args, kwargs, range),
        }
    }

    /// A new instance with `__init__` run (project `__init__` with `self`;
    /// a library base's `__init__` records its arguments).
    fn construct(
        &mut self,
        c: &Arc<ClassObj>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        let inst = Arc::new(InstanceObj::new(Arc::clone(c)));
        let value = Obj::Instance(Arc::clone(&inst)).value();
        match c.lookup("__init__") {
            Lookup::Found(f, _) => {
                if let Some(Obj::Function(f)) = f.object::<Obj>() {
                    let f = Arc::clone(f);
                    let loc = self.loc(range);
                    self.call_function(&f, Some(value.clone()), args, kwargs, &loc)?;
                }
            }
            Lookup::Library(_) => {
                if c.kind == ClassKind::Exception {
                    inst.set("args", Value::Tuple(args.clone()));
                }
                *lock(&inst.base_init) = Some((args, kwargs));
            }
            Lookup::Missing if c.dataclass_fields.is_some() => {
                self.dataclass_init(c, &inst, args, kwargs, range)?;
            }
            Lookup::Missing => {
                if !args.is_empty() || !kwargs.is_empty() {
                    return Err(self.raise(
                        "TypeError",
                        format!("{}() takes no arguments", c.name),
                        range,
                    ));
                }
            }
        }
        Ok(value)
    }

    /// The `__init__` `@dataclass` generates: each field from its argument,
    /// else its default (the class attribute, found through the class).
    fn dataclass_init(
        &mut self,
        c: &Arc<ClassObj>,
        inst: &InstanceObj,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Result<(), Abort> {
        let mut fields: Vec<Name> = Vec::new();
        for e in c.mro.iter().rev() {
            if let Some(Obj::Class(b)) = e.object::<Obj>()
                && let Some(f) = &b.dataclass_fields
            {
                fields.extend(
                    f.iter()
                        .filter(|n| !fields.contains(n))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        if let Some(own) = &c.dataclass_fields {
            for n in own {
                if !fields.contains(n) {
                    fields.push(n.clone());
                }
            }
        }
        if args.len() > fields.len() {
            return Err(self.raise(
                "TypeError",
                format!(
                    "{}.__init__() takes {} positional arguments but {} were given",
                    c.name,
                    fields.len() + 1,
                    args.len() + 1
                ),
                range,
            ));
        }
        for (name, v) in fields.iter().zip(args) {
            inst.set(name.as_str(), v);
        }
        for (k, v) in kwargs {
            if !fields.iter().any(|f| f.as_str() == k) {
                return Err(self.raise(
                    "TypeError",
                    format!(
                        "{}.__init__() got an unexpected keyword argument '{k}'",
                        c.name
                    ),
                    range,
                ));
            }
            inst.set(&k, v);
        }
        Ok(())
    }

    fn type_decorator(
        &mut self,
        c: &Arc<ClassObj>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        let inst = self.construct(c, args.clone(), kwargs.clone(), range)?;
        let Some(Obj::Instance(i)) = inst.object::<Obj>() else {
            return Ok(inst);
        };
        let i = Arc::clone(i);
        let (impl_args, impl_kwargs) = lock(&i.base_init).take().unwrap_or_default();
        let impl_class = match c.lookup("impl") {
            Lookup::Found(v, _) => v,
            _ => {
                return Ok(self.unknown(format!("TypeDecorator `{}` has no `impl`", c.name), range));
            }
        };
        let impl_inst = self.as_type_instance(impl_class, impl_args, impl_kwargs, range)?;
        i.set("impl", impl_inst.clone());
        i.set("impl_instance", impl_inst.clone());
        match c.lookup("load_dialect_impl") {
            Lookup::Found(f, _) => {
                let Some(Obj::Function(f)) = f.object::<Obj>() else {
                    return Ok(impl_inst);
                };
                let f = Arc::clone(f);
                let loc = self.loc(range);
                let receiver = Obj::Instance(Arc::clone(&i)).value();
                let r = self.type_hook(&c.name, &f, receiver, vec![Obj::Dialect.value()], &loc)?;
                self.as_type_instance(r, Vec::new(), Vec::new(), range)
            }
            _ => Ok(impl_inst),
        }
    }

    /// Calls `get_col_spec` / `load_dialect_impl`. SQLAlchemy calls them when
    /// it compiles DDL, so an exception there is only certain if the type is
    /// rendered: it makes the type unknown instead of failing here.
    fn type_hook(
        &mut self,
        class: &str,
        f: &Arc<FuncObj>,
        receiver: Value,
        args: Vec<Value>,
        loc: &Loc,
    ) -> Eval {
        match self.call_function(f, Some(receiver), args, Vec::new(), loc) {
            Err(Abort::Raise(e)) => Ok(Value::unknown(
                format!("`{class}.{}()` raises {}", f.name, e.describe()),
                loc.clone(),
            )),
            other => other,
        }
    }

    /// SQLAlchemy's `to_instance`: a class is called, an instance kept.
    fn as_type_instance(
        &mut self,
        v: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        range: TextRange,
    ) -> Eval {
        match &v {
            Value::Symbol(s) => Ok(Value::Call(Arc::new(Call {
                callee: Callee::Symbol(s.clone()),
                args,
                kwargs,
                loc: self.loc(range),
            }))),
            Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
                Some(Obj::Class(c)) => {
                    let c = Arc::clone(c);
                    self.instantiate(&c, args, kwargs, range)
                }
                _ => Ok(v),
            },
            _ => Ok(v),
        }
    }

    fn raw_type(&self, spec: PyStr, range: TextRange) -> Value {
        Value::Call(Arc::new(Call {
            callee: Callee::Symbol(Symbol::new(RAW_TYPE)),
            args: vec![Value::Str(spec)],
            kwargs: Vec::new(),
            loc: self.loc(range),
        }))
    }

    fn dialect_method(&mut self, name: &str, args: Vec<Value>, range: TextRange) -> Eval {
        match name {
            "type_descriptor" => match args.into_iter().next() {
                Some(t) => self.as_type_instance(t, Vec::new(), Vec::new(), range),
                None => Err(self.raise(
                    "TypeError",
                    "type_descriptor() missing 1 required positional argument: 'typeobj'",
                    range,
                )),
            },
            _ => Ok(self.unknown(format!("`dialect.{name}()` is not known statically"), range)),
        }
    }

    /// A project type class passed uncalled to a library call is
    /// instantiated, as SQLAlchemy's `to_instance` does.
    fn instantiate_type_class(&mut self, v: Value, range: TextRange) -> Eval {
        if let Some(Obj::Class(c)) = v.object::<Obj>()
            && (matches!(
                c.kind,
                ClassKind::TypeDecorator | ClassKind::UserDefinedType
            ) || (c.kind == ClassKind::LibrarySubclass && !is_sql_construct_class(c)))
        {
            let c = Arc::clone(c);
            return self.instantiate(&c, Vec::new(), Vec::new(), range);
        }
        Ok(v)
    }

    fn instantiate_type_classes(
        &mut self,
        args: Vec<Value>,
        range: TextRange,
    ) -> Result<Vec<Value>, Abort> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.instantiate_type_class(a, range)?);
        }
        Ok(out)
    }

    /// `super()` with no arguments, inside a method.
    pub(crate) fn zero_arg_super(&mut self, range: TextRange) -> Eval {
        let f = self.frame();
        match (&f.owner, &f.first_arg) {
            (Some(c), Some(r)) => Ok(Obj::Super {
                class: Arc::clone(c),
                receiver: r.clone(),
            }
            .value()),
            _ => Err(self.raise("RuntimeError", "super(): no arguments", range)),
        }
    }

    pub(crate) fn str_error(&self, e: StrError, range: TextRange) -> Eval {
        match e {
            StrError::Unknown(reason) => Ok(self.unknown(reason, range)),
            StrError::Raise(class, msg) => Err(self.raise(class, msg, range)),
        }
    }
}

impl Obj {
    fn type_name_str(&self) -> &str {
        use crate::python::value::PyObject;
        self.type_name()
    }
}

/// JSON text of a value as `json.dumps` writes it with default options.
fn json_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::None => "null".into(),
        Value::Bool(b) => {
            if *b {
                "true".into()
            } else {
                "false".into()
            }
        }
        Value::Int(i) => i.to_string(),
        Value::Float(f) => strings::float_repr(*f),
        Value::Str(s) => {
            let mut out = String::from("\"");
            for c in s.value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                        let mut buf = [0u16; 2];
                        for u in c.encode_utf16(&mut buf) {
                            out.push_str(&format!("\\u{u:04x}"));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Value::List(items) | Value::Tuple(items) => {
            let parts: Option<Vec<String>> = items.iter().map(json_text).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::Dict(kv) => {
            let mut parts = Vec::new();
            for (k, v) in kv {
                let key = match k {
                    Value::Str(_) => json_text(k)?,
                    Value::Int(i) => format!("\"{i}\""),
                    _ => return None,
                };
                parts.push(format!("{key}: {}", json_text(v)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        _ => return None,
    })
}

fn builtin_has_method(v: &Value, name: &str) -> bool {
    let methods: &[&str] = match v {
        Value::Str(_) => &[
            "lower",
            "upper",
            "strip",
            "lstrip",
            "rstrip",
            "replace",
            "join",
            "split",
            "rsplit",
            "startswith",
            "endswith",
            "format",
            "title",
            "capitalize",
            "casefold",
            "swapcase",
            "splitlines",
            "partition",
            "rpartition",
            "find",
            "rfind",
            "index",
            "rindex",
            "count",
            "zfill",
            "ljust",
            "rjust",
            "center",
            "isdigit",
            "isnumeric",
            "isdecimal",
            "isalpha",
            "isalnum",
            "isspace",
            "islower",
            "isupper",
            "isidentifier",
            "encode",
            "removeprefix",
            "removesuffix",
            "expandtabs",
            "format_map",
        ],
        Value::List(_) => &[
            "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "index",
            "count", "copy",
        ],
        Value::Dict(_) => &[
            "get",
            "keys",
            "values",
            "items",
            "update",
            "setdefault",
            "pop",
            "popitem",
            "copy",
            "clear",
        ],
        Value::Set(_) => &[
            "add",
            "discard",
            "remove",
            "pop",
            "clear",
            "union",
            "intersection",
            "difference",
            "issubset",
            "issuperset",
            "copy",
            "update",
        ],
        Value::Tuple(_) => &["index", "count"],
        Value::Bytes(_) => &["decode"],
        _ => &[],
    };
    methods.contains(&name)
}

/// A subclass of a SQLAlchemy SQL construct (`GenericFunction`,
/// `ColumnElement`, a DDL element), not of a type: passed to a library call
/// (`@compiles(date_diff, "postgresql")`) it stays the class.
fn is_sql_construct_class(c: &ClassObj) -> bool {
    c.mro.iter().any(|e| {
        e.as_symbol().is_some_and(|s| {
            [
                "sqlalchemy.sql.functions.",
                "sqlalchemy.sql.expression.",
                "sqlalchemy.sql.elements.",
                "sqlalchemy.sql.schema.",
                "sqlalchemy.sql.ddl.",
                "sqlalchemy.sql.selectable.",
                "sqlalchemy.schema.",
            ]
            .iter()
            .any(|p| s.path.starts_with(p))
                || matches!(
                    s.name(),
                    "GenericFunction" | "FunctionElement" | "ColumnElement" | "ClauseElement"
                )
        })
    })
}

impl Evaluator<'_> {
    /// `Model.attr` for a column of a declarative model (a class with a
    /// `__tablename__`): SQLAlchemy's instrumented attribute, kept as
    /// `sqlalchemy.orm.attributes.InstrumentedAttribute(table, column,
    /// <Column call>, schema=...)` so a `ForeignKey(Model.attr)` knows what
    /// it points at.
    fn mapped_column_attr(
        &mut self,
        c: &Arc<ClassObj>,
        key: &str,
        v: &Value,
        range: TextRange,
    ) -> Option<Value> {
        let col = v.as_call()?;
        let is_column = col.symbol().is_some_and(|s| {
            s.path.starts_with("sqlalchemy") && matches!(s.name(), "Column" | "mapped_column")
        });
        if !is_column {
            return None;
        }
        let table = match c.lookup("__tablename__") {
            Lookup::Found(Value::Str(t), _) => t,
            _ => return None,
        };
        let name = match col.args.first() {
            Some(Value::Str(n)) => n.as_str().to_string(),
            _ => match col.kwarg("name") {
                Some(Value::Str(n)) => n.as_str().to_string(),
                _ => key.to_string(),
            },
        };
        let schema = match c.lookup("__table_args__") {
            Lookup::Found(Value::Dict(d), _) => table_args_schema(&d),
            Lookup::Found(Value::Tuple(t), _) => match t.last() {
                Some(Value::Dict(d)) => table_args_schema(d),
                _ => None,
            },
            _ => None,
        };
        let mut kwargs = Vec::new();
        if let Some(s) = schema {
            kwargs.push(("schema".to_string(), s));
        }
        Some(Value::Call(Arc::new(Call {
            callee: Callee::Symbol(Symbol::new(
                "sqlalchemy.orm.attributes.InstrumentedAttribute",
            )),
            args: vec![Value::Str(table), Value::str(name), v.clone()],
            kwargs,
            loc: self.loc(range),
        })))
    }
}

fn table_args_schema(d: &[(Value, Value)]) -> Option<Value> {
    d.iter()
        .find(|(k, _)| k.as_str() == Some("schema"))
        .map(|(_, v)| v.clone())
}

/// `Base.metadata` of a `DeclarativeBase` subclass that sets no `metadata`
/// but a `registry = registry(metadata=MetaData(...))`: SQLAlchemy takes the
/// registry's (prefect's models).
fn declarative_registry_metadata(c: &Arc<ClassObj>, lib: &Value) -> Option<Value> {
    let base = lib.as_symbol()?;
    if !base.path.starts_with("sqlalchemy") || base.name() != "DeclarativeBase" {
        return None;
    }
    let Lookup::Found(Value::Call(reg), _) = c.lookup("registry") else {
        return None;
    };
    if reg.symbol().is_none_or(|s| s.name() != "registry") {
        return None;
    }
    reg.kwarg("metadata").cloned()
}

/// Whether a function body rebinds names outside it (`global`,
/// `nonlocal`), not counting the functions and classes it defines.
fn declares_outer_names(body: &[Stmt]) -> bool {
    let mut stack: Vec<(&[Stmt], u32)> = vec![(body, 0)];
    while let Some((suite, depth)) = stack.pop() {
        if depth > 200 {
            return true;
        }
        for stmt in suite {
            match stmt {
                Stmt::Global(_) | Stmt::Nonlocal(_) => return true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => stack.extend(sub_suites(stmt).into_iter().map(|s| (s, depth + 1))),
            }
        }
    }
    false
}
