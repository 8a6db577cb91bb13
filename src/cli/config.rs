//! Configuration: pins for expressions the static reader cannot know,
//! from `--assume` and from `migsim.yaml`.

use std::collections::HashMap;
use std::path::Path;

use super::PinArgs;
use crate::python::EvalConfig;
use crate::python::assume::Assumptions;
use crate::report::Diagnostic;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    assume: HashMap<String, serde_json::Value>,
}

/// The evaluator configuration for a command: pins from the config file
/// (explicit, or `migsim.yaml` beside the project) and `--assume`.
pub fn eval_config(pins: &PinArgs, project: &Path) -> Result<EvalConfig, Diagnostic> {
    let mut map = serde_json::Map::new();
    let default_file = if project.is_dir() {
        project.join("migsim.yaml")
    } else {
        project.with_file_name("migsim.yaml")
    };
    let file = pins
        .config
        .clone()
        .or_else(|| default_file.is_file().then_some(default_file));
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                "config::unreadable",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        let cfg: ConfigFile = serde_saphyr::from_str(&text).map_err(|e| {
            Diagnostic::error("config::invalid", format!("{}: {e}", path.display()))
        })?;
        for (k, v) in cfg.assume {
            map.insert(k, v);
        }
    }
    for a in &pins.assume {
        let Some((k, v)) = a.split_once('=') else {
            return Err(Diagnostic::error(
                "config::assume",
                format!("--assume expects EXPR=VALUE, got `{a}`"),
            ));
        };
        let value = serde_json::from_str(v.trim())
            .unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
        map.insert(k.trim().to_string(), value);
    }
    Ok(EvalConfig {
        assumptions: Assumptions::from_json(&map),
        ..EvalConfig::default()
    })
}
