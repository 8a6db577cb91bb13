//! Resolving revision arguments the way `RevisionMap` does: ids, unique
//! prefixes (more than 3 characters), `head`, `heads`, `base`, branch labels
//! (`label`, `label@head`, `label@id`), and relative steps (`+2`, `-1`,
//! `id+1`, `label@-1`). Errors carry Alembic's messages.

use std::fmt;

use super::{RevIdx, RevisionGraph};

/// `alembic.script.revision.RevisionError` and its subclasses.
#[derive(Debug, Clone, PartialEq)]
pub enum RevisionError {
    RangeNotAncestor {
        lower: String,
        upper: String,
    },
    MultipleHeads {
        heads: Vec<String>,
        argument: String,
    },
    Resolution {
        message: String,
        argument: String,
    },
    Other(String),
}

impl fmt::Display for RevisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevisionError::RangeNotAncestor { lower, upper } => {
                write!(f, "Revision {lower} is not an ancestor of revision {upper}")
            }
            RevisionError::MultipleHeads { heads, argument } => write!(
                f,
                "Multiple heads are present for given argument '{argument}'; {}",
                heads.join(", ")
            ),
            RevisionError::Resolution { message, .. } => f.write_str(message),
            RevisionError::Other(m) => f.write_str(m),
        }
    }
}

/// How `ScriptDirectory._catch_revision_errors` words an error for a command.
#[derive(Debug, Default, Clone)]
pub(crate) struct CatchContext<'a> {
    pub ancestor: Option<&'a str>,
    pub end: Option<&'a str>,
    pub start: Option<&'a str>,
}

impl RevisionError {
    /// The `CommandError` text Alembic prints after `FAILED: `.
    pub(crate) fn command_message(&self, ctx: &CatchContext<'_>) -> String {
        match self {
            RevisionError::RangeNotAncestor { lower, upper } => {
                let start = ctx.start.unwrap_or(lower);
                let end = ctx.end.unwrap_or(upper);
                match ctx.ancestor {
                    Some(a) => a.replace("%(start)s", start).replace("%(end)s", end),
                    None => format!(
                        "Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch"
                    ),
                }
            }
            RevisionError::MultipleHeads { argument, .. } => {
                let head_arg = ctx.end.unwrap_or(argument);
                format!(
                    "Multiple head revisions are present for given argument '{head_arg}'; please specify a specific target revision, '<branchname>@{head_arg}' to narrow to a specific head, or 'heads' for all heads"
                )
            }
            RevisionError::Resolution { argument, .. } => {
                format!("Can't locate revision identified by '{argument}'")
            }
            RevisionError::Other(m) => m.clone(),
        }
    }
}

/// A position while walking: Python's `None` (below every base), the
/// string `"base"`, or a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    Nothing,
    Base,
    Rev(RevIdx),
}

/// `_relative_destination = (?:(.+?)@)?(\w+)?((?:\+|-)\d+)` with `re.match`.
pub(crate) fn match_relative(s: &str) -> Option<(Option<&str>, Option<&str>, i64)> {
    fn tail(s: &str) -> Option<(Option<&str>, i64)> {
        let word_end = s
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        let rest = &s[word_end..];
        let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
        let digits: &str = {
            let d = &rest[1..];
            let end = d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len());
            &d[..end]
        };
        if digits.is_empty() {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        let symbol = (word_end > 0).then(|| &s[..word_end]);
        Some((symbol, if sign == '-' { -n } else { n }))
    }
    for (i, c) in s.char_indices() {
        if c == '@'
            && i > 0
            && let Some((symbol, n)) = tail(&s[i + 1..])
        {
            return Some((Some(&s[..i]), symbol, n));
        }
    }
    tail(s).map(|(symbol, n)| (None, symbol, n))
}

impl RevisionGraph {
    /// `_resolve_revision_number`: `(ids, branch_label)`.
    pub(crate) fn resolve_number(
        &self,
        id: Option<&str>,
    ) -> Result<(Vec<String>, Option<String>), RevisionError> {
        let (label, id) = match id {
            Some(s) if s.contains('@') => {
                let (l, r) = s.split_once('@').unwrap_or((s, ""));
                (Some(l.to_string()), Some(r))
            }
            other => (None, other),
        };
        match id {
            Some("heads") => match &label {
                Some(l) => {
                    let heads: Vec<RevIdx> =
                        self.heads.iter().map(|&h| self.canonical(h)).collect();
                    let filtered = self.filter_for_lineage(&heads, Some(l), false)?;
                    Ok((
                        filtered
                            .iter()
                            .map(|&i| self.revisions[i].id().to_string())
                            .collect(),
                        label,
                    ))
                }
                None => Ok((
                    self.real_heads
                        .iter()
                        .map(|&i| self.revisions[i].id().to_string())
                        .collect(),
                    None,
                )),
            },
            Some("head") => {
                let head = self.current_head(label.as_deref())?;
                Ok((head.into_iter().collect(), label))
            }
            Some("base") | None => Ok((Vec::new(), label)),
            Some(other) => Ok((vec![other.to_string()], label)),
        }
    }

    /// `get_current_head`.
    pub(crate) fn current_head(
        &self,
        label: Option<&str>,
    ) -> Result<Option<String>, RevisionError> {
        let mut heads: Vec<RevIdx> = self.heads.iter().map(|&h| self.canonical(h)).collect();
        if let Some(l) = label {
            heads = self.filter_for_lineage(&heads, Some(l), false)?;
        }
        if heads.len() > 1 {
            return Err(RevisionError::MultipleHeads {
                heads: heads
                    .iter()
                    .map(|&i| self.revisions[i].id().to_string())
                    .collect(),
                argument: match label {
                    Some(l) => format!("{l}@head"),
                    None => "head".to_string(),
                },
            });
        }
        Ok(heads.first().map(|&i| self.revisions[i].id().to_string()))
    }

    /// `_resolve_branch`.
    fn resolve_branch(&self, label: &str) -> Result<Option<RevIdx>, RevisionError> {
        if let Some(&i) = self.map.get(label) {
            return Ok(Some(i));
        }
        self.revision_for_ident(Some(label), None)
            .map_err(|_| RevisionError::Resolution {
                message: format!("No such branch: '{label}'"),
                argument: label.to_string(),
            })
    }

    /// `_revision_for_ident`: exact key, else a unique prefix (more than
    /// three characters), checked against `check_branch`.
    pub(crate) fn revision_for_ident(
        &self,
        resolved: Option<&str>,
        check_branch: Option<&str>,
    ) -> Result<Option<RevIdx>, RevisionError> {
        let branch_rev = match check_branch {
            Some(b) if !b.is_empty() => self.resolve_branch(b)?,
            _ => None,
        };
        let Some(id) = resolved else {
            return Ok(None);
        };
        let revision = match self.map.get(id) {
            Some(&i) => i,
            None => {
                let mut revs: Vec<RevIdx> = self
                    .map_order
                    .iter()
                    .filter(|k| k.chars().count() > 3 && k.starts_with(id))
                    .filter_map(|k| self.map.get(k).copied())
                    .collect();
                let mut names: Vec<&str> = self
                    .map_order
                    .iter()
                    .filter(|k| k.chars().count() > 3 && k.starts_with(id))
                    .map(String::as_str)
                    .collect();
                if branch_rev.is_some() {
                    let keep = self.filter_for_lineage(&revs, check_branch, false)?;
                    let pairs: Vec<(RevIdx, &str)> =
                        revs.iter().copied().zip(names.iter().copied()).collect();
                    let kept: Vec<(RevIdx, &str)> = pairs
                        .into_iter()
                        .filter(|(r, _)| keep.contains(r))
                        .collect();
                    revs = kept.iter().map(|p| p.0).collect();
                    names = kept.iter().map(|p| p.1).collect();
                }
                match revs.len() {
                    0 => {
                        return Err(RevisionError::Resolution {
                            message: format!(
                                "No such revision or branch '{id}'{}",
                                if id.chars().count() < 4 {
                                    "; please ensure at least four characters are present for partial revision identifier matches"
                                } else {
                                    ""
                                }
                            ),
                            argument: id.to_string(),
                        });
                    }
                    1 => revs[0],
                    _ => {
                        return Err(RevisionError::Resolution {
                            message: format!(
                                "Multiple revisions start with '{id}': {}...",
                                names
                                    .iter()
                                    .take(3)
                                    .map(|n| format!("'{n}'"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            argument: id.to_string(),
                        });
                    }
                }
            }
        };
        if let (Some(b), Some(br)) = (check_branch.filter(|b| !b.is_empty()), branch_rev)
            && !self.shares_lineage(revision, &[br], false)
        {
            return Err(RevisionError::Resolution {
                message: format!(
                    "Revision {} is not a member of branch '{b}'",
                    self.revisions[revision].id()
                ),
                argument: id.to_string(),
            });
        }
        Ok(Some(revision))
    }

    /// `filter_for_lineage`: the targets related (ancestor or descendant) to
    /// what `check_against` names.
    pub(crate) fn filter_for_lineage(
        &self,
        targets: &[RevIdx],
        check_against: Option<&str>,
        include_dependencies: bool,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let (ids, label) = self.resolve_number(check_against)?;
        let mut shares: Vec<RevIdx> = Vec::new();
        for name in label.iter().chain(ids.iter()) {
            if let Some(r) = self.revision_for_ident(Some(name), None)? {
                shares.push(r);
            }
        }
        if shares.is_empty() {
            return Ok(targets.to_vec());
        }
        Ok(targets
            .iter()
            .copied()
            .filter(|&t| self.shares_lineage(t, &shares, include_dependencies))
            .collect())
    }

    pub(crate) fn shares_lineage(
        &self,
        target: RevIdx,
        against: &[RevIdx],
        include_dependencies: bool,
    ) -> bool {
        if against.is_empty() {
            return true;
        }
        let target = self.canonical(target);
        let against: Vec<RevIdx> = against.iter().map(|&a| self.canonical(a)).collect();
        self.descendants(&[target], include_dependencies)
            .into_iter()
            .chain(self.ancestors(&[target], include_dependencies))
            .any(|r| against.contains(&self.canonical(r)))
    }

    /// `get_revision`: exactly one revision (or `None` for base).
    pub(crate) fn get_revision(&self, id: Option<&str>) -> Result<Option<RevIdx>, RevisionError> {
        let (ids, label) = self.resolve_number(id)?;
        if ids.len() > 1 {
            return Err(RevisionError::MultipleHeads {
                heads: ids,
                argument: id.unwrap_or("").to_string(),
            });
        }
        self.revision_for_ident(ids.first().map(String::as_str), label.as_deref())
    }

    /// `get_revisions` for one string argument.
    pub(crate) fn get_revisions(&self, id: Option<&str>) -> Result<Vec<Pos>, RevisionError> {
        let (ids, label) = self.resolve_number(id)?;
        if ids.len() == 1
            && let Ok(n) = ids[0].trim().parse::<i64>()
            && n < 0
        {
            let mut heads: Vec<RevIdx> =
                self.real_heads.iter().map(|&h| self.canonical(h)).collect();
            if let Some(l) = &label {
                heads.retain(|&h| self.revisions[h].labels.contains(l));
            }
            return heads
                .into_iter()
                .map(|h| self.walk(Pos::Rev(h), n, None, true))
                .collect();
        }
        ids.iter()
            .map(|i| {
                self.revision_for_ident(Some(i), label.as_deref())
                    .map(|r| r.map_or(Pos::Nothing, Pos::Rev))
            })
            .collect()
    }

    /// `get_revisions` for a sequence of ids.
    fn get_revisions_of(&self, ids: &[String]) -> Result<Vec<Pos>, RevisionError> {
        let mut out = Vec::new();
        for i in ids {
            out.extend(self.get_revisions(Some(i))?);
        }
        Ok(out)
    }

    /// `_walk`: `steps` up (positive) or down (negative).
    pub(crate) fn walk(
        &self,
        start: Pos,
        steps: i64,
        branch_label: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Pos, RevisionError> {
        let mut initial = start;
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Pos> = if steps > 0 {
                let ids: Vec<String> = match initial {
                    Pos::Nothing => self
                        .bases
                        .iter()
                        .map(|&b| self.revisions[b].id().to_string())
                        .collect(),
                    Pos::Rev(r) => self.revisions[r]
                        .nextrev
                        .iter()
                        .map(|&c| self.revisions[c].id().to_string())
                        .collect(),
                    Pos::Base => {
                        return Err(RevisionError::Other("cannot walk up from 'base'".into()));
                    }
                };
                let up: Vec<RevIdx> = self
                    .get_revisions_of(&ids)?
                    .into_iter()
                    .filter_map(|p| match p {
                        Pos::Rev(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                let up = match branch_label {
                    Some(_) => self.filter_for_lineage(&up, branch_label, false)?,
                    None => up,
                };
                up.into_iter().map(Pos::Rev).collect()
            } else {
                match initial {
                    Pos::Base => Vec::new(),
                    Pos::Nothing => {
                        let ids: Vec<String> = self
                            .heads
                            .iter()
                            .map(|&h| self.revisions[h].id().to_string())
                            .collect();
                        let c = self.get_revisions_of(&ids)?;
                        if c.is_empty() { vec![Pos::Base] } else { c }
                    }
                    Pos::Rev(r) => {
                        let ids: Vec<String> =
                            self.revisions[r].down_ids().map(str::to_string).collect();
                        let c = self.get_revisions_of(&ids)?;
                        if c.is_empty() { vec![Pos::Base] } else { c }
                    }
                }
            };
            match children.len() {
                0 => return Ok(if no_overwalk { Pos::Nothing } else { initial }),
                1 => initial = children[0],
                _ => return Err(RevisionError::Other("Ambiguous walk".into())),
            }
        }
        Ok(initial)
    }

    /// `_parse_upgrade_target`.
    pub(crate) fn parse_upgrade_target(
        &self,
        current: &[String],
        target: &str,
        assert_relative_length: bool,
    ) -> Result<Vec<Pos>, RevisionError> {
        let Some((branch_label, symbol, relative)) = match_relative(target) else {
            return self.get_revisions(Some(target));
        };
        if relative > 0 {
            match symbol {
                None => {
                    let mut start_revs: Vec<Option<String>> = if current.is_empty() {
                        vec![None]
                    } else {
                        current.iter().cloned().map(Some).collect()
                    };
                    if let Some(label) = branch_label {
                        let cur: Vec<RevIdx> = self
                            .get_revisions_of(current)?
                            .into_iter()
                            .filter_map(|p| if let Pos::Rev(r) = p { Some(r) } else { None })
                            .collect();
                        let on_branch = self.filter_for_lineage(&cur, Some(label), false)?;
                        start_revs = on_branch
                            .iter()
                            .map(|&r| Some(self.revisions[r].id().to_string()))
                            .collect();
                        if start_revs.is_empty() {
                            let ancestors = self.ancestors(&cur, true);
                            let active = self.filter_for_lineage(&ancestors, Some(label), false)?;
                            let downs: Vec<&str> = active
                                .iter()
                                .flat_map(|&r| self.revisions[r].normalized_down())
                                .collect();
                            let mut tips: Vec<Option<String>> = active
                                .iter()
                                .map(|&r| self.revisions[r].id())
                                .filter(|id| !downs.contains(id))
                                .map(|id| Some(id.to_string()))
                                .collect();
                            tips.dedup();
                            start_revs = if tips.is_empty() { vec![None] } else { tips };
                        }
                    }
                    if start_revs.len() > 1 {
                        return Err(RevisionError::Other(
                            "Ambiguous upgrade from multiple current revisions".into(),
                        ));
                    }
                    let start = match start_revs.first().cloned().flatten() {
                        Some(id) => self.get_revision(Some(&id))?.map_or(Pos::Nothing, Pos::Rev),
                        None => Pos::Nothing,
                    };
                    let rev = self.walk(start, relative, branch_label, assert_relative_length)?;
                    if rev == Pos::Nothing {
                        return Err(RevisionError::Other(format!(
                            "Relative revision {} didn't produce {} migrations",
                            relative_text(target),
                            relative.abs()
                        )));
                    }
                    Ok(vec![rev])
                }
                Some(sym) => {
                    let start = self.get_revision(Some(sym))?.map_or(Pos::Nothing, Pos::Rev);
                    Ok(vec![self.walk(
                        start,
                        relative,
                        branch_label,
                        assert_relative_length,
                    )?])
                }
            }
        } else {
            let Some(sym) = symbol else {
                return Err(RevisionError::Other(format!(
                    "Relative revision {relative} didn't produce {} migrations",
                    relative.abs()
                )));
            };
            let start = match branch_label {
                None => self.get_revision(Some(sym))?,
                Some(l) => self.get_revision(Some(&format!("{l}@{sym}")))?,
            };
            Ok(vec![self.walk(
                start.map_or(Pos::Nothing, Pos::Rev),
                relative,
                None,
                assert_relative_length,
            )?])
        }
    }

    /// `_parse_downgrade_target`: `(branch_label, target)`.
    pub(crate) fn parse_downgrade_target(
        &self,
        current: &[String],
        target: &str,
        assert_relative_length: bool,
    ) -> Result<(Option<String>, Pos), RevisionError> {
        if let Some((branch_label, symbol, rel)) = match_relative(target) {
            if rel >= 0 {
                let Some(sym) = symbol else {
                    return Err(RevisionError::Other(format!(
                        "Relative revision {} didn't produce {} migrations",
                        relative_text(target),
                        rel.abs()
                    )));
                };
                let start = self.get_revision(Some(sym))?.map_or(Pos::Nothing, Pos::Rev);
                let rev = self.walk(start, rel, branch_label, assert_relative_length)?;
                if rev == Pos::Nothing {
                    return Err(RevisionError::Other("Walked too far".into()));
                }
                return Ok((branch_label.map(str::to_string), rev));
            }
            let relative_revision = symbol.is_none();
            let mut label = branch_label.map(str::to_string);
            let symbol: String = match symbol {
                Some(s) => s.to_string(),
                None => match branch_label {
                    Some(l) => {
                        let cur: Vec<RevIdx> = self
                            .get_revisions_of(current)?
                            .into_iter()
                            .filter_map(|p| if let Pos::Rev(r) = p { Some(r) } else { None })
                            .collect();
                        let mut on_branch = self.filter_for_lineage(&cur, Some(l), false)?;
                        if on_branch.is_empty() {
                            let all_current = self.all_current(&cur);
                            on_branch = self.filter_for_lineage(&all_current, Some(l), false)?;
                        }
                        if on_branch.len() != 1 {
                            return Err(RevisionError::Other(format!(
                                "cannot find a single current revision on branch '{l}'"
                            )));
                        }
                        self.revisions[on_branch[0]].id().to_string()
                    }
                    None => {
                        let Some(first) = current.first() else {
                            return Err(RevisionError::Other(format!(
                                "Relative revision {rel} didn't produce {} migrations",
                                rel.abs()
                            )));
                        };
                        label = Some(first.clone());
                        first.clone()
                    }
                },
            };
            let start = match &label {
                None => self.get_revision(Some(&symbol))?,
                Some(l) => self.get_revision(Some(&format!("{l}@{symbol}")))?,
            };
            let rev = self.walk(
                start.map_or(Pos::Nothing, Pos::Rev),
                rel,
                None,
                assert_relative_length,
            )?;
            if rev == Pos::Nothing {
                return Err(RevisionError::Other(if relative_revision {
                    format!(
                        "Relative revision {rel} didn't produce {} migrations",
                        rel.abs()
                    )
                } else {
                    "Walked too far".into()
                }));
            }
            return Ok((label, rev));
        }
        let (label, symbol) = match target.rsplit_once('@') {
            Some((l, s)) if !l.is_empty() => (Some(l.to_string()), s),
            Some((_, s)) => (None, s),
            None => (None, target),
        };
        Ok((
            label,
            self.get_revision(Some(symbol))?
                .map_or(Pos::Nothing, Pos::Rev),
        ))
    }

    /// `_get_all_current`: the branch tips among `ids` and their ancestors.
    fn all_current(&self, revs: &[RevIdx]) -> Vec<RevIdx> {
        let mut top = revs.to_vec();
        for a in self.ancestors(revs, true) {
            if !top.contains(&a) {
                top.push(a);
            }
        }
        let snapshot = top.clone();
        top.retain(|&r| {
            !self
                .descendants(&[r], false)
                .into_iter()
                .any(|d| d != r && snapshot.contains(&d))
        });
        top
    }
}

/// The `+N`/`-N` part of a relative target, as Alembic echoes it.
fn relative_text(target: &str) -> &str {
    let i = target.rfind(['+', '-']).unwrap_or(0);
    &target[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_destination_regex() {
        assert_eq!(match_relative("+2"), Some((None, None, 2)));
        assert_eq!(match_relative("-1"), Some((None, None, -1)));
        assert_eq!(match_relative("ae10+3"), Some((None, Some("ae10"), 3)));
        assert_eq!(
            match_relative("br@head-1"),
            Some((Some("br"), Some("head"), -1))
        );
        assert_eq!(match_relative("br@+1"), Some((Some("br"), None, 1)));
        assert_eq!(match_relative("1975ea83b712"), None);
        assert_eq!(match_relative("head"), None);
        assert_eq!(match_relative("heads"), None);
        assert_eq!(match_relative("a@b"), None);
    }
}
