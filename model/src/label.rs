//! A node's name as the canvas writes it: fitted to its shape.

/// About how wide a character is, in ems, in the page's sans-serif.
fn char_em(c: char) -> f32 {
    match c {
        // CJK and other wide scripts
        c if c as u32 >= 0x2E80 => 1.0,
        'i' | 'j' | 'l' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' | ' '
        | '-' => 0.34,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.86,
        c if c.is_ascii_uppercase() || c == '#' || c == '*' || c == '_' => 0.66,
        _ => 0.56,
    }
}

/// About how wide `text` is, in ems.
pub fn width_em(text: &str) -> f32 {
    text.chars().map(char_em).sum()
}

/// What a node's badges say (under its shape): the settings that matter at a glance. A queue's
/// durability, exclusivity, auto-delete, message TTL, length limit (and what overflow does),
/// dead-letter exchange and priorities; an exchange's durability and alternate exchange; a
/// consumer's prefetch and auto-ack. RabbitMQ's own words, in both languages.
pub fn badges(spec: &crate::design::Spec) -> Vec<String> {
    use crate::design::Spec;
    let mut b = Vec::new();
    match spec {
        Spec::Queue(q) => {
            if q.queue_type == "quorum" {
                b.push("quorum".into());
            }
            if q.durable {
                b.push("durable".into());
            }
            if q.exclusive {
                b.push("exclusive".into());
            }
            if q.auto_delete {
                b.push("auto-delete".into());
            }
            if let Some(ttl) = q.message_ttl {
                b.push(format!("TTL {}", ms_text(ttl)));
            }
            if let Some(max) = q.max_length {
                let how = match q.overflow.as_str() {
                    "reject-publish" => " reject",
                    "reject-publish-dlx" => " reject+DLX",
                    _ => "",
                };
                b.push(format!("max {max}{how}"));
            }
            if let Some(x) = &q.dead_letter_exchange {
                b.push(if x.is_empty() {
                    "DLX (default)".into()
                } else {
                    format!("DLX {x}")
                });
            }
            if let Some(p) = q.max_priority {
                b.push(format!("priority {p}"));
            }
            if let Some(n) = q.delivery_limit {
                b.push(format!("delivery limit {n}"));
            }
        }
        Spec::Exchange(x) => {
            if x.durable {
                b.push("durable".into());
            }
            if let Some(ae) = &x.alternate_exchange {
                b.push(format!("AE {ae}"));
            }
        }
        Spec::Consumer(c) => {
            if c.auto_ack {
                b.push("auto-ack".into());
            } else if c.prefetch > 0 {
                b.push(format!("prefetch {}", c.prefetch));
            }
        }
        Spec::Producer(_) => {}
    }
    b
}

/// A duration as a person writes it: `500 ms`, `5 s`, `2.5 s`, `2 min`.
fn ms_text(ms: u64) -> String {
    match ms {
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms % 60_000 == 0 => format!("{} min", ms / 60_000),
        ms if ms % 1000 == 0 => format!("{} s", ms / 1000),
        ms => format!("{}.{} s", ms / 1000, (ms % 1000) / 100),
    }
}

/// A node's name as its label, fitted to `room` pixels: at the `base` font size when it fits;
/// smaller, down to 70 % of it; at that size cut with an ellipsis beyond (the whole name is
/// the node's title, shown on hover, and in its label for screen readers). Its text and size.
pub fn fit(name: &str, room: f32, base: f32) -> (String, f32) {
    let width: f32 = name.chars().map(char_em).sum();
    if width * base <= room {
        return (name.to_string(), base);
    }
    let least = base * 0.7;
    let size = room / width;
    if size >= least {
        return (name.to_string(), (size * 10.0).floor() / 10.0);
    }
    let mut used = char_em('…');
    let mut out = String::new();
    for c in name.chars() {
        if (used + char_em(c)) * least > room {
            break;
        }
        used += char_em(c);
        out.push(c);
    }
    out.push('…');
    (out, least)
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn badges_say_what_matters_about_a_node() {
        use crate::design::{Consumer, QueueSpec, Spec};
        let q = QueueSpec {
            durable: true,
            message_ttl: Some(2500),
            max_length: Some(10),
            overflow: "reject-publish".into(),
            dead_letter_exchange: Some("retry".into()),
            ..QueueSpec::default()
        };
        assert_eq!(
            super::badges(&Spec::Queue(q)),
            ["durable", "TTL 2.5 s", "max 10 reject", "DLX retry"]
        );
        assert!(super::badges(&Spec::Queue(QueueSpec::default())).is_empty());
        let quorum = QueueSpec {
            durable: true,
            queue_type: "quorum".into(),
            delivery_limit: Some(3),
            ..QueueSpec::default()
        };
        assert_eq!(
            super::badges(&Spec::Queue(quorum)),
            ["quorum", "durable", "delivery limit 3"]
        );
        let c = Consumer {
            prefetch: 1,
            ..Consumer::default()
        };
        assert_eq!(super::badges(&Spec::Consumer(c)), ["prefetch 1"]);
        let auto = Consumer {
            auto_ack: true,
            ..Consumer::default()
        };
        assert_eq!(super::badges(&Spec::Consumer(auto)), ["auto-ack"]);
        assert_eq!(super::ms_text(60_000), "1 min");
        assert_eq!(super::ms_text(500), "500 ms");
    }

    #[test]
    fn a_name_that_fits_keeps_its_size() {
        assert_eq!(fit("task_queue", 146.0, 13.0), ("task_queue".to_string(), 13.0));
        assert_eq!(fit("P", 94.0, 16.0), ("P".to_string(), 16.0));
    }

    #[test]
    fn a_longer_name_shrinks_within_limits_then_ends_in_an_ellipsis() {
        // emit_log_topic in a producer at the projector's size: smaller, whole
        let (text, size) = fit("emit_log_topic", 94.0, 16.0);
        assert_eq!(text, "emit_log_topic");
        assert!((11.2..16.0).contains(&size), "{size}");
        // a very long one: cut, at 70 % of the size, and no wider than the room
        let long = "a_queue_with_a_really_long_name_for_tests";
        let (text, size) = fit(long, 146.0, 13.0);
        assert!(text.ends_with('…') && text.len() < long.len(), "{text}");
        assert!(long.starts_with(text.trim_end_matches('…')));
        assert_eq!(size, 13.0 * 0.7);
        // Chinese names are wide: cut too
        let (text, _) = fit("订单处理队列订单处理队列订单处理队列", 146.0, 13.0);
        assert!(text.ends_with('…'), "{text}");
    }
}
