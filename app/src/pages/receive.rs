//! Receive goods: a delivery reference and several lines (part number,
//! quantity, one serial per unit for serialized parts), received in one
//! step — or not at all, with every bad line named.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::stock::ReceiveGoods;
use crate::components::form::FormError;
use crate::components::guard::RequireRole;
use crate::components::upload::LineErrors;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;

#[component]
pub fn ReceivePage() -> impl IntoView {
    let receive = ServerAction::<ReceiveGoods>::new();
    view! { <RequireRole roles=&[Role::Dealer, Role::Admin]><Receive receive /></RequireRole> }
}

#[component]
fn Receive(receive: ServerAction<ReceiveGoods>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let dealer = move || query.read().get("dealer_id").unwrap_or_default();
    let lines = RwSignal::new(3usize);
    let result = Signal::derive(move || receive.value().get());
    let line_errors = move || match result.get() {
        Some(Err(err)) => err.line_errors().to_vec(),
        _ => Vec::new(),
    };
    view! {
        <Title text=move || t_string!(i18n, stock_receive).to_string() />
        <section class="page">
            <h1>{t!(i18n, stock_receive)}</h1>
            <p>{t!(i18n, stock_receive_intro)}</p>
            <Show when=move || matches!(receive.value().get(), Some(Ok(_)))>
                <div class="alert alert-ok" role="status">
                    {move || match receive.value().get() {
                        Some(Ok(r)) => t_string!(i18n, stock_received).replace("{count}", &r.created.to_string()),
                        _ => String::new(),
                    }}
                    " " <a href="/stock">{t!(i18n, stock_back)}</a>
                </div>
            </Show>
            <FormError result />
            {move || view! { <LineErrors errors=line_errors() /> }}
            <ActionForm action=receive>
                <input type="hidden" name="dealer_id" value=dealer />
                <div class="field narrow">
                    <label for="reference">{t!(i18n, stock_delivery_reference)}</label>
                    <input id="reference" name="reference" type="text" placeholder="DN-2026-0042" />
                </div>
                <div class="table-wrap">
                    <table class="data lines">
                        <thead><tr>
                            <th scope="col" class="num">{t!(i18n, upload_line)}</th>
                            <th scope="col">{t!(i18n, part_number)}</th>
                            <th scope="col">{t!(i18n, stock_quantity)}</th>
                            <th scope="col">{t!(i18n, stock_serials)}</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || 0..lines.get() key=|i| *i let:i>
                                <tr>
                                    <td class="num">{i + 1}</td>
                                    <td>
                                        <label class="visually-hidden" for=format!("line-{i}-part")>{move || format!("{} {}", t_string!(i18n, part_number), i + 1)}</label>
                                        <input id=format!("line-{i}-part") name="part_number[]" type="text" autocomplete="off" />
                                    </td>
                                    <td>
                                        <label class="visually-hidden" for=format!("line-{i}-quantity")>{move || format!("{} {}", t_string!(i18n, stock_quantity), i + 1)}</label>
                                        <input id=format!("line-{i}-quantity") name="quantity[]" type="number" min="1" />
                                    </td>
                                    <td>
                                        <label class="visually-hidden" for=format!("line-{i}-serials")>{move || format!("{} {}", t_string!(i18n, stock_serials), i + 1)}</label>
                                        <textarea id=format!("line-{i}-serials") name="serials[]" rows="1"></textarea>
                                    </td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="actions">
                    <button type="button" class="btn" on:click=move |_| lines.update(|n| *n += 1)>{t!(i18n, stock_add_line)}</button>
                    <button type="submit" class="btn btn-primary" disabled=move || receive.pending().get()>{t!(i18n, stock_receive)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
