//! The parameters of `#(...)`: `%`, `%1`..`%20` and `%&`.

use super::*;

// ---- `#(...)` params -----------------------------------------------------------------------

#[derive(Clone, Copy)]
pub(super) enum FnParam {
    Positional(usize),
    Rest,
}

/// The params a `#(...)` body used: `%1` is `positional[0]`.
#[derive(Default)]
pub(super) struct FnArgs {
    positional: Vec<Option<Symbol>>,
    rest: Option<Symbol>,
}

impl FnArgs {
    /// The same symbol every time the same `%` is used.
    pub(super) fn symbol_for(&mut self, param: FnParam) -> Symbol {
        let slot = match param {
            FnParam::Rest => &mut self.rest,
            FnParam::Positional(n) => {
                if self.positional.len() < n {
                    self.positional.resize(n, None);
                }
                &mut self.positional[n - 1]
            }
        };
        slot.get_or_insert_with(|| fn_param_symbol(param)).clone()
    }

    /// `[p1 p2 & rest]`; unused positions below the highest one still get a param (`#(%2)`
    /// takes two args).
    pub(super) fn into_params(self, pos: Pos) -> Vec<Form> {
        let mut params: Vec<Form> = self
            .positional
            .into_iter()
            .enumerate()
            .map(|(index, sym)| {
                let sym = sym.unwrap_or_else(|| fn_param_symbol(FnParam::Positional(index + 1)));
                Form::new(FormKind::Symbol(sym), pos)
            })
            .collect();
        if let Some(rest) = self.rest {
            params.push(symbol_form(None, "&", pos));
            params.push(Form::new(FormKind::Symbol(rest), pos));
        }
        params
    }
}

pub(super) fn fn_param_symbol(param: FnParam) -> Symbol {
    let base = match param {
        FnParam::Positional(n) => format!("p{n}"),
        FnParam::Rest => "rest".to_string(),
    };
    Symbol::simple(format!("{base}__{}#", next_id()))
}
