//! The page's own confirm dialog: a question, Cancel and a yes button. Whatever would
//! discard the user's work (Reset, a preset, an opened scenario) asks through it.

use leptos::prelude::*;

/// The dialog's state: the question shown, if any, and what a yes does. It is `Copy`.
#[derive(Clone, Copy)]
pub struct Confirm {
    /// The question and the yes button's label.
    question: RwSignal<Option<(String, String)>>,
    on_yes: StoredValue<Option<Box<dyn Fn()>>, LocalStorage>,
}

impl Confirm {
    pub fn new() -> Confirm {
        Confirm {
            question: RwSignal::new(None),
            on_yes: StoredValue::new_local(None),
        }
    }

    /// Shows `question`; `yes` runs only if the user answers with the yes button.
    pub fn ask(self, question: String, yes_label: &str, yes: impl Fn() + 'static) {
        self.on_yes.set_value(Some(Box::new(yes)));
        self.question.set(Some((question, yes_label.to_string())));
    }
}

impl Default for Confirm {
    fn default() -> Confirm {
        Confirm::new()
    }
}

/// The page's own confirm dialog.
#[component]
pub fn ConfirmDialog(confirm: Confirm) -> impl IntoView {
    let answer = move |yes: bool| {
        confirm.question.set(None);
        let action = confirm.on_yes.try_update_value(Option::take).flatten();
        if yes && let Some(action) = action {
            action();
        }
    };
    // The question takes the keyboard: Cancel has the focus, so Enter keeps the work and
    // Escape closes.
    let cancel = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if confirm.question.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(button) = cancel.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
    });
    move || {
        confirm.question.get().map(|(question, yes_label)| {
            view! {
                <div class="dialog-backdrop" on:click=move |_| answer(false)>
                    <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="dialog-question"
                        on:click=|event| event.stop_propagation()
                        on:keydown=move |event| if event.key() == "Escape" { answer(false) }>
                        <p id="dialog-question">{question}</p>
                        <div class="dialog-actions">
                            <button class="ghost dialog-no" node_ref=cancel on:click=move |_| answer(false)>"Cancel"</button>
                            <button class="danger dialog-yes" on:click=move |_| answer(true)>{yes_label}</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
