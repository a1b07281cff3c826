//! The guided tutorial's panel: its step, its acts, its closing question.

use super::*;

impl App {
    /// The tutorial in progress: its step (what to do, then what to watch), or its question.
    pub(super) fn tour_view(&self, ctx: &Context<Self>) -> Html {
        let (link, l) = (ctx.link(), self.lang);
        let Some((tour, t)) = self
            .tour
            .as_ref()
            .and_then(|tour| Some((tour, self.tutorial(tour.index)?)))
        else {
            return match self.tutorial_wanted.and_then(|i| INDEX.get(i)) {
                Some(e) => html! {
                    <section class="tutorial" aria-label="tutorial">
                        <h2>{ e.title.get(l) }</h2>
                        <p class="loading" role="status">{ tr(l, "Loading the tutorial…") }</p>
                    </section>
                },
                None => html! {},
            };
        };
        let (n, index) = (t.steps.len(), tour.index);
        let body = match t.steps.get(tour.step) {
            Some(step) => {
                let acts: Vec<String> = step.acts.iter().map(|a| a.label(l)).collect();
                html! {<>
                    <p class="step-count">{ format!("{} {} / {}", tr(l, "Step"), tour.step + 1, n) }</p>
                    <p class="say">{ step.say.get(l) }</p>
                    if !tour.done {
                        <button class="do" onclick={link.callback(|_| Msg::TourDo)}>{ format!("▶ {}", acts.join(", ")) }</button>
                    } else {
                        <p class="watch"><strong>{ tr(l, "Watch:") }</strong>{ " " }{ step.watch.get(l) }</p>
                        <button class="next" onclick={link.callback(|_| Msg::TourNext)}>
                            { if tour.step + 1 < n { tr(l, "Next step →") } else { tr(l, "The question →") } }</button>
                    }
                </>}
            }
            None => html! {<>
                <p class="ask">{ t.question.ask.get(l) }</p>
                <input class="answer" inputmode="numeric" aria-label="your answer"
                    oninput={link.callback(|e: InputEvent| Msg::TourAnswer(e.target_unchecked_into::<HtmlInputElement>().value()))}
                    onkeydown={link.batch_callback(|e: KeyboardEvent| (e.key() == "Enter").then_some(Msg::TourCheck))} />
                <button class="check" onclick={link.callback(|_| Msg::TourCheck)}>{ tr(l, "Check on the canvas") }</button>
                if let Some((right, text)) = &tour.verdict {
                    <p class={classes!("verdict", if *right { "right" } else { "wrong" })} role="status">{ text.clone() }</p>
                }
            </>},
        };
        html! {
            <section class="tutorial" aria-label="tutorial">
                <h2>{ t.title.get(l) }
                    <button class="close" onclick={link.callback(|_| Msg::TourClose)} aria-label="close the tutorial">{ "×" }</button></h2>
                if tour.step == 0 && !tour.done { <p class="intro">{ t.intro.get(l) }</p> }
                { body }
                if tour.step > 0 || tour.done {
                    <button class="again" onclick={link.callback(move |_| Msg::Tutorial(index))}>{ tr(l, "Start over") }</button>
                }
            </section>
        }
    }
}
