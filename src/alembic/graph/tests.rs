//! Unit tests for the revision graph. Expected outputs were taken from real
//! Alembic 1.20.1 on the same graphs (the end-to-end oracle in
//! `tests/graph_oracle.rs` re-checks them against Alembic itself).

use super::*;

/// `"b:a,c|dep|label"`: revision `b`, down_revision `a` and `c`,
/// depends_on `dep`, branch label `label`.
pub(crate) fn spec(s: &str) -> RevisionSpec {
    let (rev, rest) = s.split_once(':').unwrap_or((s, ""));
    let mut parts = rest.split('|');
    let list = |p: Option<&str>| -> Vec<RevRef> {
        p.unwrap_or("")
            .split(',')
            .filter(|x| !x.is_empty())
            .map(RevRef::new)
            .collect()
    };
    let down = list(parts.next());
    let deps = list(parts.next());
    let labels = list(parts.next());
    RevisionSpec {
        revision: rev.to_string(),
        down_revision: down,
        depends_on: deps,
        branch_labels: labels,
        longdoc: format!("msg {rev}"),
        path: format!("/v/{rev}.py"),
        defines_upgrade: Some(true),
        defines_downgrade: Some(true),
        module_name: format!("{rev}_py"),
        ..Default::default()
    }
}

pub(crate) fn graph(specs: &[&str]) -> RevisionGraph {
    RevisionGraph::build(specs.iter().map(|s| spec(s)).collect())
}

fn order(g: &RevisionGraph) -> Vec<&str> {
    g.replay_order()
        .into_iter()
        .map(|i| g.revision(i).id())
        .collect()
}

fn codes(g: &RevisionGraph) -> Vec<&str> {
    g.problems().iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn branch_and_merge_order_is_alembics() {
    // Alembic: -> aaaa, aaaa -> cccc, aaaa -> bbbb, bbbb, cccc -> dddd
    let g = graph(&["aaaa", "bbbb:aaaa", "cccc:aaaa", "dddd:bbbb,cccc"]);
    assert_eq!(order(&g), ["aaaa", "cccc", "bbbb", "dddd"]);
    assert_eq!(g.heads(), ["dddd"]);
    assert_eq!(g.bases(), ["aaaa"]);
    assert_eq!(g.branch_points(), ["aaaa"]);
    assert_eq!(g.merge_points(), ["dddd"]);
    assert!(g.problems().is_empty());
    assert_eq!(
        render_history(&g, false).unwrap(),
        "bbbb, cccc -> dddd (head) (mergepoint), msg dddd\naaaa -> bbbb, msg bbbb\naaaa -> cccc, msg cccc\n<base> -> aaaa (branchpoint), msg aaaa\n"
    );
}

#[test]
fn depends_on_makes_effective_heads_and_merges_version_rows() {
    let g = graph(&["aaaa", "bbbb:aaaa", "xxxx:aaaa", "cccc:bbbb|xxxx"]);
    assert_eq!(
        render_heads(&g, false),
        "xxxx (effective head)\ncccc (head)\n"
    );
    assert_eq!(order(&g), ["aaaa", "xxxx", "bbbb", "cccc"]);
    let steps = g.upgrade_plan(None, "heads").unwrap();
    let logs: Vec<String> = steps.iter().map(MigrationStep::short_log).collect();
    assert_eq!(
        logs,
        [
            "upgrade  -> aaaa",
            "upgrade aaaa -> xxxx",
            "upgrade aaaa -> bbbb",
            "upgrade bbbb -> cccc"
        ]
    );
    assert!(steps[0].creates_version_table);
    assert_eq!(steps[2].version_ops, [VersionOp::Insert("bbbb".into())]);
    assert_eq!(
        steps[3].version_ops,
        [
            VersionOp::Delete("bbbb".into()),
            VersionOp::Update {
                from: "xxxx".into(),
                to: "cccc".into()
            }
        ]
    );
    assert!(steps[3].arbitrary_version_order);
    assert_eq!(
        render_history(&g, false).unwrap(),
        "bbbb (xxxx) -> cccc (head), msg cccc\naaaa -> bbbb, msg bbbb\naaaa -> xxxx (effective head), msg xxxx\n<base> -> aaaa (branchpoint), msg aaaa\n"
    );
}

#[test]
fn depends_on_a_branch_label() {
    let g = graph(&["aaaa", "bbbb:aaaa||lab", "xxxx:aaaa", "cccc:xxxx|lab"]);
    assert_eq!(
        render_heads(&g, false),
        "bbbb (lab) (effective head)\ncccc (head)\n"
    );
    // Two versioned heads: `alembic upgrade head` fails here too.
    assert_eq!(codes(&g), ["graph::multiple-heads"]);
}

#[test]
fn downgrade_order_and_rows() {
    let g = graph(&["aaaa", "bbbb:aaaa", "xxxx:aaaa", "cccc:bbbb|xxxx"]);
    let steps = g.downgrade_plan("heads", "base").unwrap();
    let logs: Vec<String> = steps.iter().map(MigrationStep::short_log).collect();
    assert_eq!(
        logs,
        [
            "downgrade cccc -> bbbb",
            "downgrade bbbb -> aaaa",
            "downgrade xxxx -> aaaa",
            "downgrade aaaa -> "
        ]
    );
    assert_eq!(
        steps[0].version_ops,
        [
            VersionOp::Insert("bbbb".into()),
            VersionOp::Update {
                from: "cccc".into(),
                to: "xxxx".into()
            }
        ]
    );
    assert_eq!(steps[3].version_ops, [VersionOp::Delete("aaaa".into())]);
}

#[test]
fn missing_down_revision_is_an_error_and_the_rest_still_orders() {
    let g = graph(&["aaaa", "bbbb:zzzz", "cccc:aaaa"]);
    assert_eq!(
        codes(&g),
        ["graph::missing-down-revision", "graph::multiple-heads"]
    );
    let f = g.alembic_failure().unwrap();
    assert_eq!(
        (f.kind, f.message.as_str()),
        (AlembicFailureKind::KeyError, "'zzzz'")
    );
    assert_eq!(order(&g), ["aaaa", "cccc", "bbbb"]);
}

#[test]
fn duplicate_revision_later_file_wins_and_history_fails_like_alembic() {
    let g = graph(&["aaaa", "bbbb:aaaa", "bbbb:aaaa", "cccc:bbbb"]);
    assert_eq!(codes(&g)[0], "graph::duplicate-revision");
    assert_eq!(g.revision(1).shadowed_by, Some(2));
    assert_eq!(render_heads(&g, false), "bbbb\ncccc (head)\n");
    assert_eq!(
        render_history(&g, false).unwrap_err().to_string(),
        "Requested revision cccc overlaps with other requested revisions bbbb"
    );
    // The replay still has an order: the winning file.
    let o: Vec<RevIdx> = g.replay_order();
    assert_eq!(o, [0, 2, 3]);
}

#[test]
fn cycles_are_classified_like_alembic() {
    let g = graph(&["aaaa", "bbbb:cccc", "cccc:bbbb"]);
    assert_eq!(codes(&g)[0], "graph::cycle");
    let f = g.alembic_failure().unwrap();
    assert_eq!(
        f.to_string(),
        "CycleDetected: Cycle is detected in revisions (bbbb, cccc)"
    );
    assert_eq!(order(&g), ["aaaa"]);

    let g = graph(&["aaaa", "bbbb:aaaa|cccc", "cccc:aaaa|bbbb"]);
    assert_eq!(codes(&g)[0], "graph::dependency-cycle");
    assert_eq!(
        g.alembic_failure().unwrap().kind,
        AlembicFailureKind::DependencyCycleDetected
    );

    let g = graph(&["aaaa:aaaa"]);
    assert_eq!(
        g.alembic_failure().unwrap().kind,
        AlembicFailureKind::LoopDetected
    );
    let g = graph(&["aaaa:|aaaa"]);
    assert_eq!(
        g.alembic_failure().unwrap().kind,
        AlembicFailureKind::DependencyLoopDetected
    );
}

#[test]
fn branch_labels_duplicate_and_propagation() {
    let g = graph(&["aaaa", "bbbb:aaaa||aaaa"]);
    assert_eq!(
        g.alembic_failure().unwrap().message,
        "Branch name 'aaaa' in revision bbbb already used by revision aaaa"
    );
    // A label spreads up the branch and down to the branch point.
    let g = graph(&[
        "aaaa",
        "bbbb:aaaa",
        "cccc:bbbb||feat",
        "dddd:cccc",
        "eeee:aaaa",
    ]);
    let labels =
        |id: &str| -> Vec<&str> { g.revision(g.lookup(id).unwrap()).branch_labels().collect() };
    assert_eq!(labels("dddd"), ["feat"]);
    assert_eq!(labels("bbbb"), ["feat"]);
    assert!(labels("aaaa").is_empty());
    assert!(labels("eeee").is_empty());
}

#[test]
fn partial_dependency_ids_fail_to_load_like_alembic() {
    let g = graph(&["aaaa", "bbbbcc:aaaa", "xxxx:aaaa", "cccc:xxxx|bbbb"]);
    let d = &g.problems()[0];
    assert_eq!(d.code, "graph::missing-dependency");
    assert!(d.help.as_deref().unwrap_or("").contains("bbbbcc"));
    assert_eq!(g.alembic_failure().unwrap().message, "'bbbb'");
}

#[test]
fn targets_resolve_like_alembic() {
    let g = graph(&["aaaa1", "bbbb1:aaaa1||feat", "cccc1:bbbb1", "dddd1:aaaa1"]);
    let ids =
        |steps: Vec<MigrationStep>| -> Vec<String> { steps.into_iter().map(|s| s.id).collect() };
    assert_eq!(
        ids(g.upgrade_plan(None, "cccc").unwrap()),
        ["aaaa1", "bbbb1", "cccc1"]
    );
    assert_eq!(
        ids(g.upgrade_plan(None, "feat@head").unwrap()),
        ["aaaa1", "bbbb1", "cccc1"]
    );
    assert_eq!(
        ids(g.upgrade_plan(Some("aaaa1"), "feat@+1").unwrap()),
        ["bbbb1"]
    );
    assert_eq!(ids(g.upgrade_plan(Some("bbbb1"), "+1").unwrap()), ["cccc1"]);
    assert_eq!(
        g.upgrade_plan(None, "head").unwrap_err().to_string(),
        "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"
    );
    assert_eq!(
        g.upgrade_plan(None, "zzz").unwrap_err().to_string(),
        "Can't locate revision identified by 'zzz'"
    );
    assert_eq!(ids(g.downgrade_plan("cccc1", "-1").unwrap()), ["cccc1"]);
    assert_eq!(
        ids(g.downgrade_plan("cccc1", "aaaa1").unwrap()),
        ["cccc1", "bbbb1"]
    );
}

#[test]
fn multiple_heads_warning() {
    let g = graph(&["aaaa", "bbbb:aaaa", "cccc:aaaa"]);
    assert_eq!(codes(&g), ["graph::multiple-heads"]);
    assert_eq!(g.problems()[0].severity, crate::report::Severity::Warning);
}

#[test]
fn verbose_entries() {
    let g = graph(&["aaaa", "bbbb:aaaa||lab", "cccc:aaaa|bbbb"]);
    let v = render_history(&g, true).unwrap();
    assert!(v.starts_with("Rev: cccc (head)\nParent: aaaa\nAlso depends on: bbbb\nPath: /v/cccc.py\n\n    msg cccc\n\n"), "{v}");
    assert!(
        v.contains(
            "Rev: aaaa (branchpoint)\nParent: <base>\nBranches into: bbbb, cccc\nPath: /v/aaaa.py\n"
        ),
        "{v}"
    );
    assert!(v.contains("Branch names: lab\n"), "{v}");
}

#[test]
fn dot_and_mermaid_are_stable_and_styled() {
    let g = graph(&["aaaa", "bbbb:aaaa", "cccc:aaaa|bbbb", "dddd:bbbb,cccc"]);
    let dot = render_graph(&g, GraphFormat::Dot);
    assert!(dot.starts_with("digraph revisions {"));
    assert!(
        dot.contains("r0 [label=\"aaaa\\nmsg aaaa\", fillcolor=\"#d6e6f8\"];"),
        "{dot}"
    );
    assert!(dot.contains("peripheries=2"));
    assert!(dot.contains("style=dashed, label=\"depends_on\""), "{dot}");
    assert_eq!(dot, render_graph(&g, GraphFormat::Dot));
    let mm = render_graph(&g, GraphFormat::Mermaid);
    assert!(mm.starts_with("flowchart TD\n"));
    assert!(mm.contains(" -.->|depends_on| "), "{mm}");
    assert!(mm.contains("class r3 merge"), "{mm}");
}

#[test]
fn large_generated_graph_orders_quickly() {
    let mut specs = Vec::new();
    for i in 0..1000 {
        let s = if i == 0 {
            "r0".to_string()
        } else if i % 10 == 5 {
            format!("r{i}:r{}", i - 5)
        } else if i % 10 == 9 {
            format!("r{i}:r{},r{}", i - 1, i - 5)
        } else {
            format!("r{i}:r{}", i - 1)
        };
        specs.push(s);
    }
    let refs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let start = std::time::Instant::now();
    let g = graph(&refs);
    let o = g.replay_order();
    assert_eq!(o.len(), 1000);
    assert!(start.elapsed().as_secs_f64() < 5.0);
}
