//! The overview panel: totals, rates over simulated time, queues, prefetch windows.

use super::*;

impl App {
    /// The management UI's overview of the simulated broker at the moment shown.
    pub(super) fn overview_view(&self, ctx: &Context<Self>) -> Html {
        use warren_model::overview::{rate_text, CHART_BINS, CHART_MS};
        let (link, l) = (ctx.link(), self.lang);
        let o = warren_model::overview::at(&self.live, self.t);
        // the chart: three lines over the last 30 s of simulated time
        let (w, h) = (300.0, 70.0);
        let top = o
            .series
            .iter()
            .flat_map(|r| [r.publish, r.deliver, r.ack])
            .fold(1.0f64, f64::max);
        let line = |f: fn(&warren_model::overview::Rates) -> f64| -> String {
            o.series
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let x = w * (i as f64 + 0.5) / CHART_BINS as f64;
                    let y = h - 4.0 - (h - 8.0) * f(r) / top;
                    format!("{},{}", fixed(x, 1), fixed(y, 1))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let total =
            |label: &str, v: String| html! { <div class="total"><span>{ label.to_string() }</span><b>{ v }</b></div> };
        html! {
            <section class="overview" aria-label="overview">
                <p>{ tr(l, "Overview of the simulated broker (vhost /) at this moment; rates over the last 5 s of simulated time.") }
                    <button class="close" onclick={link.callback(|_| Msg::Overview(false))} aria-label="close the overview">{ "×" }</button></p>
                <div class="totals" aria-label="totals">
                    { total(tr(l, "Connections"), o.connections.to_string()) }
                    { total(tr(l, "Channels"), o.channels.to_string()) }
                    { total(tr(l, "Exchanges"), o.exchanges.to_string()) }
                    { total(tr(l, "Queues"), o.queues.to_string()) }
                    { total(tr(l, "Consumers"), o.consumers.to_string()) }
                    { total(tr(l, "Ready"), o.ready.to_string()) }
                    { total(tr(l, "Unacked"), o.unacked.to_string()) }
                    { total(tr(l, "Total"), o.total().to_string()) }
                    { total(tr(l, "Publish"), rate_text(o.rates.publish)) }
                    { total(tr(l, "Deliver"), rate_text(o.rates.deliver)) }
                    { total(tr(l, "Ack"), rate_text(o.rates.ack)) }
                </div>
                <figure class="rates">
                    <svg viewBox={format!("0 0 {} {}", short(w, 0), short(h, 0))} role="img" aria-label={format!("message rates over the last {} s", short(CHART_MS / 1000.0, 0))}>
                        <polyline class="publish" points={line(|r| r.publish)} />
                        <polyline class="deliver" points={line(|r| r.deliver)} />
                        <polyline class="ack" points={line(|r| r.ack)} />
                    </svg>
                    <figcaption><span class="publish">{ tr(l, "publish") }</span>{ " · " }<span class="deliver">{ tr(l, "deliver") }</span>
                        { " · " }<span class="ack">{ tr(l, "ack") }</span>{ format!(" · {} /s · 30 s", rate_text(top).trim_end_matches("/s")) }</figcaption>
                </figure>
                <table aria-label="queues">
                    { head(&[tr(l, "Queue"), tr(l, "Ready"), tr(l, "Unacked"), tr(l, "Total"), tr(l, "Consumers"), tr(l, "incoming"), tr(l, "deliver"), tr(l, "ack")]) }
                    <tbody>{ for o.queue_rows.iter().map(|q| html! {
                        <tr><td>{ q.name.clone() }</td><td>{ q.ready }</td><td>{ q.unacked }</td><td>{ q.ready + q.unacked }</td>
                            <td>{ q.consumers }</td><td>{ rate_text(q.incoming) }</td><td>{ rate_text(q.deliver) }</td><td>{ rate_text(q.ack) }</td></tr>
                    }) }</tbody>
                </table>
                <table aria-label="consumers">
                    { head(&[tr(l, "Consumer"), tr(l, "Queue"), tr(l, "Ack required"), tr(l, "Prefetch"), tr(l, "Unacked"), tr(l, "Utilisation")]) }
                    <tbody>{ for o.consumer_rows.iter().map(|c| {
                        let prefetch = match (c.prefetch, c.global_prefetch) {
                            (0, 0) => tr(l, "unlimited").to_string(),
                            (p, 0) => p.to_string(),
                            (0, g) => format!("{g} (global)"),
                            (p, g) => format!("{p} · {g} (global)"),
                        };
                        let used = c.utilisation.map(|u| format!("{}%", fixed(u * 100.0, 0))).unwrap_or_else(|| "—".into());
                        html! {
                            <tr><td>{ format!("{} ({})", c.client, c.tag) }</td><td>{ c.queue.clone() }</td>
                                <td>{ if c.ack_required { "●" } else { "○" } }</td><td>{ prefetch }</td><td>{ c.unacked }</td>
                                <td><meter min="0" max="1" value={short(c.utilisation.unwrap_or(0.0), 3)} />{ " " }{ used }</td></tr>
                        }
                    }) }</tbody>
                </table>
            </section>
        }
    }
}
