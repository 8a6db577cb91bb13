//! Text for the `heads`, `history` and `graph` commands: the first two
//! exactly as Alembic prints them (`Script.cmd_format` / `log_entry`), the
//! third as Graphviz dot or Mermaid.

use std::fmt::Write as _;

use super::order::PlanError;
use super::{EdgeKind, RevIdx, Revision, RevisionGraph};
use crate::report::Diagnostic;

/// `_format_down_revision`: `<base>` or the comma-joined `down_revision`.
pub(super) fn format_down(r: &Revision) -> String {
    let falsy = r.spec.down_revision.is_empty()
        || (r.spec.down_revision.len() == 1 && r.spec.down_revision[0].id.is_empty());
    if falsy {
        "<base>".to_string()
    } else {
        r.down_ids().collect::<Vec<_>>().join(", ")
    }
}

fn comma(items: impl Iterator<Item = impl AsRef<str>>) -> String {
    items
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Python's `str.splitlines()`.
fn py_splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            out.push(&s[start..i]);
            let mut next = i + c.len_utf8();
            if c == '\r'
                && let Some(&(j, '\n')) = chars.peek()
            {
                chars.next();
                next = j + 1;
            }
            start = next;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

impl RevisionGraph {
    /// `Script._head_only`.
    fn head_only(
        &self,
        r: &Revision,
        include_doc: bool,
        include_parents: bool,
        tree: bool,
    ) -> String {
        let mut text = r.id().to_string();
        if include_parents {
            text = if r.spec.depends_on.is_empty() {
                format!("{} -> {text}", format_down(r))
            } else {
                format!(
                    "{} ({}) -> {text}",
                    format_down(r),
                    comma(r.spec.depends_on.iter().map(|d| &d.id))
                )
            };
        }
        if !r.labels.is_empty() {
            let _ = write!(text, " ({})", comma(r.labels.iter()));
        }
        if r.is_real_head() {
            text.push_str(" (head)");
        } else if r.is_head() {
            text.push_str(" (effective head)");
        }
        if tree {
            if r.is_branch_point() {
                text.push_str(" (branchpoint)");
            }
            if r.is_merge_point() {
                text.push_str(" (mergepoint)");
            }
        }
        if include_doc {
            let _ = write!(text, ", {}", r.doc());
        }
        text
    }

    /// `Script.log_entry` (verbose output).
    fn log_entry(&self, r: &Revision) -> String {
        let mut e = format!(
            "Rev: {}{}{}{}\n",
            r.id(),
            if r.is_head() { " (head)" } else { "" },
            if r.is_branch_point() {
                " (branchpoint)"
            } else {
                ""
            },
            if r.is_merge_point() {
                " (mergepoint)"
            } else {
                ""
            },
        );
        if r.is_merge_point() {
            let _ = writeln!(e, "Merges: {}", format_down(r));
        } else {
            let _ = writeln!(e, "Parent: {}", format_down(r));
        }
        if !r.spec.depends_on.is_empty() {
            let _ = writeln!(
                e,
                "Also depends on: {}",
                comma(r.spec.depends_on.iter().map(|d| &d.id))
            );
        }
        if r.is_branch_point() {
            let _ = writeln!(
                e,
                "Branches into: {}",
                comma(r.nextrev.iter().map(|&c| self.revisions[c].id()))
            );
        }
        if !r.labels.is_empty() {
            let _ = writeln!(e, "Branch names: {}", comma(r.labels.iter()));
        }
        let _ = writeln!(e, "Path: {}", r.spec.path);
        let body: Vec<String> = py_splitlines(&r.spec.longdoc)
            .into_iter()
            .map(|p| format!("    {p}"))
            .collect();
        let _ = writeln!(e, "\n{}", body.join("\n"));
        e
    }
}

/// `alembic heads` / `alembic heads --verbose`.
pub fn render_heads(g: &RevisionGraph, verbose: bool) -> String {
    let mut out = String::new();
    for &h in &g.heads {
        let r = &g.revisions[g.canonical(h)];
        if verbose {
            out.push_str(&g.log_entry(r));
        } else {
            out.push_str(&g.head_only(r, false, false, false));
        }
        out.push('\n');
    }
    out
}

/// `alembic history` / `alembic history --verbose` (newest first). Fails
/// where Alembic's fails, with its message.
pub fn render_history(g: &RevisionGraph, verbose: bool) -> Result<String, PlanError> {
    let mut out = String::new();
    for i in g.history_order()? {
        let r = &g.revisions[i];
        if verbose {
            out.push_str(&g.log_entry(r));
        } else {
            out.push_str(&g.head_only(r, true, true, true));
        }
        out.push('\n');
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

fn short_doc(r: &Revision) -> String {
    let first = r.doc().lines().next().unwrap_or("").trim();
    if first.chars().count() > 48 {
        let cut: String = first.chars().take(47).collect();
        format!("{cut}…")
    } else {
        first.to_string()
    }
}

/// Node order for drawing: the replay order, then anything left out of it
/// (cycles, shadowed duplicates) in load order.
fn drawing_order(g: &RevisionGraph) -> Vec<RevIdx> {
    let mut order = g.replay_order();
    let mut placed = vec![false; g.revisions.len()];
    for &i in &order {
        placed[i] = true;
    }
    for (i, r) in g.revisions.iter().enumerate() {
        if !placed[i] && r.shadowed_by.is_none() {
            order.push(i);
        }
    }
    order
}

fn node_lines(g: &RevisionGraph, r: &Revision) -> Vec<String> {
    let mut lines = vec![r.id().to_string()];
    let doc = short_doc(r);
    if !doc.is_empty() {
        lines.push(doc);
    }
    if !r.labels.is_empty() {
        lines.push(format!("[{}]", comma(r.labels.iter())));
    }
    let idx = g.canonical(g.map.get(r.id()).copied().unwrap_or(0));
    if g.excluded[idx] {
        lines.push("(in or above a cycle)".to_string());
    }
    lines
}

/// The revision graph as Graphviz dot or Mermaid: oldest at the top, edges
/// from a revision to the ones built on it, `depends_on` dashed; heads,
/// merge points, branch points and bases styled; stable ordering.
pub fn render_graph(g: &RevisionGraph, format: GraphFormat) -> String {
    let order = drawing_order(g);
    let mut name = vec![String::new(); g.revisions.len()];
    for (n, &i) in order.iter().enumerate() {
        name[i] = format!("r{n}");
    }
    let mut edges: Vec<(usize, usize, EdgeKind)> = Vec::new();
    for (pos, &child) in order.iter().enumerate() {
        for e in g.graph.edges_directed(
            petgraph::graph::NodeIndex::new(child),
            petgraph::Direction::Incoming,
        ) {
            use petgraph::visit::EdgeRef;
            let parent = g.graph[e.source()];
            if let Some(ppos) = order.iter().position(|&o| o == parent) {
                edges.push((ppos, pos, *e.weight()));
            }
        }
    }
    edges.sort_by_key(|(p, c, k)| (*c, *p, matches!(k, EdgeKind::DependsOn { .. })));
    match format {
        GraphFormat::Dot => dot(g, &order, &name, &edges),
        GraphFormat::Mermaid => mermaid(g, &order, &name, &edges),
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(
    g: &RevisionGraph,
    order: &[RevIdx],
    name: &[String],
    edges: &[(usize, usize, EdgeKind)],
) -> String {
    let mut out = String::from(
        "digraph revisions {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n  edge [color=\"#555555\"];\n",
    );
    for &i in order {
        let r = &g.revisions[i];
        let label = node_lines(g, r)
            .iter()
            .map(|l| dot_escape(l))
            .collect::<Vec<_>>()
            .join("\\n");
        let mut attrs = vec![format!("label=\"{label}\"")];
        let fill = if g.excluded[i] {
            Some("#f8d0d0")
        } else if r.is_merge_point() {
            Some("#e6d8f5")
        } else if r.is_branch_point() {
            Some("#d6e6f8")
        } else if r.is_base() {
            Some("#dcefd6")
        } else {
            None
        };
        if let Some(f) = fill {
            attrs.push(format!("fillcolor=\"{f}\""));
        }
        if r.is_head() {
            attrs.push("peripheries=2".into());
            attrs.push("penwidth=2".into());
        }
        let _ = writeln!(out, "  {} [{}];", name[i], attrs.join(", "));
    }
    for (p, c, kind) in edges {
        let attrs = match kind {
            EdgeKind::Down => String::new(),
            EdgeKind::DependsOn { normalized: true } => {
                " [style=dashed, label=\"depends_on\"]".into()
            }
            EdgeKind::DependsOn { normalized: false } => {
                " [style=dotted, color=\"#999999\", label=\"depends_on (implied)\"]".into()
            }
        };
        let _ = writeln!(out, "  {} -> {}{attrs};", name[order[*p]], name[order[*c]]);
    }
    out.push_str("}\n");
    out
}

fn mermaid_escape(s: &str) -> String {
    s.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

fn mermaid(
    g: &RevisionGraph,
    order: &[RevIdx],
    name: &[String],
    edges: &[(usize, usize, EdgeKind)],
) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut classes: Vec<(&str, Vec<&str>)> = vec![
        ("head", Vec::new()),
        ("merge", Vec::new()),
        ("branchpoint", Vec::new()),
        ("base", Vec::new()),
        ("cycle", Vec::new()),
    ];
    for &i in order {
        let r = &g.revisions[i];
        let label = node_lines(g, r)
            .iter()
            .map(|l| mermaid_escape(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let _ = writeln!(out, "  {}[\"{label}\"]", name[i]);
        let class = if g.excluded[i] {
            4
        } else if r.is_merge_point() {
            1
        } else if r.is_branch_point() {
            2
        } else if r.is_base() {
            3
        } else {
            usize::MAX
        };
        if let Some((_, members)) = classes.get_mut(class) {
            members.push(&name[i]);
        }
        if r.is_head() && !g.excluded[i] {
            classes[0].1.push(&name[i]);
        }
    }
    for (p, c, kind) in edges {
        let arrow = match kind {
            EdgeKind::Down => " --> ".to_string(),
            EdgeKind::DependsOn { normalized: true } => " -.->|depends_on| ".to_string(),
            EdgeKind::DependsOn { normalized: false } => " -.->|depends_on implied| ".to_string(),
        };
        let _ = writeln!(out, "  {}{arrow}{}", name[order[*p]], name[order[*c]]);
    }
    out.push_str("  classDef head stroke-width:3px,stroke:#222222\n");
    out.push_str("  classDef merge fill:#e6d8f5\n");
    out.push_str("  classDef branchpoint fill:#d6e6f8\n");
    out.push_str("  classDef base fill:#dcefd6\n");
    out.push_str("  classDef cycle fill:#f8d0d0,stroke:#c00000\n");
    for (class, members) in classes {
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// The graph problems, one per line (`file:line:col: severity[code]: message`).
pub fn render_problems(problems: &[Diagnostic]) -> String {
    let mut out = String::new();
    for p in problems {
        let _ = writeln!(out, "{p}");
        for n in &p.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        if let Some(h) = &p.help {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_like_python() {
        assert_eq!(py_splitlines("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(py_splitlines("a\r\nb\rc\u{2028}d"), ["a", "b", "c", "d"]);
        assert!(py_splitlines("").is_empty());
    }
}
