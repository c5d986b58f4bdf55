//! A dealer's stock: on hand per part, filters in the URL, and the way to
//! receive, import, export and look back at movements. Admins choose the
//! dealer; service managers read their OEM's parts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::network::list_dealers;
use crate::api::stock::list_stock;
use crate::components::form::{ErrorAlert, IdFilter, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::status::category_label;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::stock::{StockFilter, StockLevelDto};
use crate::pages::parts::CategoryFilter;

#[component]
pub fn StockPage() -> impl IntoView {
    view! { <RequireRole><Stock /></RequireRole> }
}

/// `?dealer_id=` for links that keep an admin's chosen dealer.
pub fn dealer_suffix(dealer_id: Option<i64>, first: bool) -> String {
    match dealer_id {
        Some(id) => format!("{}dealer_id={id}", if first { "?" } else { "&" }),
        None => String::new(),
    }
}

#[component]
fn Stock() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        StockFilter {
            dealer_id: text("dealer_id").and_then(|v| v.parse().ok()),
            q: text("q"),
            component_category: text("component_category"),
            below_reorder: text("below_reorder").map(|v| v == "true"),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let levels = Resource::new(filter, list_stock);
    let role = move || session.current().map(|u| u.role);
    let dealers = Resource::new(|| (), |_| list_dealers());
    let writes =
        move || matches!(role(), Some(Role::Dealer)) || (role() == Some(Role::Admin) && filter().dealer_id.is_some());
    let next_href = move |cursor: String| {
        let f = filter();
        format!(
            "/stock?q={}&component_category={}&below_reorder={}{}&cursor={cursor}",
            url_encode(&f.q.unwrap_or_default()),
            f.component_category.unwrap_or_default(),
            f.below_reorder.unwrap_or(false),
            dealer_suffix(f.dealer_id, false)
        )
    };
    view! {
        <Title text=move || t_string!(i18n, nav_stock).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_stock)}</h1>
            <Show when=writes>
                <p class="actions">
                    <a class="btn btn-primary" href=move || format!("/stock/receive{}", dealer_suffix(filter().dealer_id, true))>{t!(i18n, stock_receive)}</a>
                    <a class="btn" href=move || format!("/stock/import{}", dealer_suffix(filter().dealer_id, true))>{t!(i18n, stock_import)}</a>
                    <a class="btn" href=move || format!("/stock/movements{}", dealer_suffix(filter().dealer_id, true))>{t!(i18n, stock_movements)}</a>
                    <a class="btn btn-quiet" href=move || format!("/api/v1/stock/export{}", dealer_suffix(filter().dealer_id, true)) download="stock.csv">{t!(i18n, stock_export)}</a>
                </p>
            </Show>
            <Form method="GET" action="" attr:class="filters">
                <Show when=move || role() != Some(Role::Dealer)>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let choices = dealers.await.unwrap_or_default().into_iter().map(|d| (d.id, format!("{} · {}", d.code, d.name))).collect();
                            view! { <IdFilter id="dealer_id" label=t!(i18n, user_dealer).into_any() any=t!(i18n, users_any).into_any() choices selected=Signal::derive(move || filter().dealer_id) /> }
                        })}
                    </Suspense>
                </Show>
                <div class="field">
                    <label for="q">{t!(i18n, parts_search)}</label>
                    <input id="q" name="q" type="search" prop:value=move || filter().q.unwrap_or_default() />
                </div>
                <CategoryFilter selected=Signal::derive(move || filter().component_category) />
                <label class="check">
                    <input type="checkbox" name="below_reorder" value="true" prop:checked=move || filter().below_reorder == Some(true) />
                    {t!(i18n, stock_below_reorder)}
                </label>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/stock">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match levels.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, stock_empty)}</p> }.into_any(),
                        Ok(page) => view! {
                            <StockTable levels=page.items show_dealer=role() != Some(Role::Dealer) />
                            <NextPage href=page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn StockTable(levels: Vec<StockLevelDto>, show_dealer: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    {show_dealer.then(|| view! { <th scope="col">{t!(i18n, user_dealer)}</th> })}
                    <th scope="col">{t!(i18n, part_number)}</th>
                    <th scope="col">{t!(i18n, part_description)}</th>
                    <th scope="col">{t!(i18n, oem_category)}</th>
                    <th scope="col" class="num">{t!(i18n, stock_on_hand)}</th>
                    <th scope="col" class="num">{t!(i18n, stock_reorder_point)}</th>
                    <th scope="col">{t!(i18n, users_col_status)}</th>
                </tr></thead>
                <tbody>
                    {levels.into_iter().map(|l| {
                        let href = format!("/stock/items/{}{}", l.part_id, dealer_suffix(show_dealer.then_some(l.dealer_id), true));
                        view! {
                            <tr>
                                {show_dealer.then(|| view! { <td>{l.dealer_code.clone()}</td> })}
                                <td><a href=href>{l.part_number.clone()}</a></td>
                                <td>{l.description.clone()}</td>
                                <td>{category_label(l.component_category)}</td>
                                <td class="num">{l.on_hand}</td>
                                <td class="num">{l.reorder_point}</td>
                                <td>{if l.below_reorder {
                                    view! { <span class="chip chip-warn">{t!(i18n, stock_below_reorder)}</span> }.into_any()
                                } else {
                                    view! { <span class="chip chip-ok">{t!(i18n, stock_ok)}</span> }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The dealer's home: parts below their reorder point.
#[component]
pub fn BelowReorder() -> impl IntoView {
    let i18n = use_i18n();
    let filter = StockFilter { below_reorder: Some(true), limit: Some(20), ..Default::default() };
    let low = Resource::new(move || filter.clone(), list_stock);
    view! {
        <h2>{t!(i18n, stock_below_reorder)}</h2>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match low.await {
                    Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="muted">{t!(i18n, stock_none_low)}</p> }.into_any(),
                    Ok(page) => view! {
                        <StockTable levels=page.items show_dealer=false />
                        <p><a href="/stock?below_reorder=true">{t!(i18n, stock_all_low)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
