//! The page's two languages: English and Simplified Chinese.
//!
//! Interface strings are written in English in the code and looked up with [`tr`] (gettext's
//! habit: the English text is the key, so a missing translation shows English, never a blank).
//! Tutorial texts carry both languages side by side ([`T`]). RabbitMQ's own words stay as they
//! are in both: method and property names (`basic_qos`, `reply_to`), error texts, and the
//! counts `ready N · unacked M` as `rabbitmqctl` prints them.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language for a BCP 47 tag (`navigator.language`, a saved choice): Chinese for any
    /// `zh` tag (Simplified is what we have), English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The first of the browser's preferred languages we have (`navigator.languages`).
    pub fn prefer<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        for t in tags {
            let l = t.trim().to_ascii_lowercase();
            if l.starts_with("zh") {
                return Lang::Zh;
            }
            if l.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The name of the language in itself (for the switch).
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct T {
    pub en: &'static str,
    pub zh: &'static str,
}

impl T {
    pub fn get(&self, l: Lang) -> &'static str {
        match l {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// The interface string `en` in language `l` (English when there is no translation).
pub fn tr(l: Lang, en: &'static str) -> &'static str {
    match l {
        Lang::En => en,
        Lang::Zh => zh(en).unwrap_or(en),
    }
}

/// The Chinese for an interface string, if there is one.
fn zh(en: &str) -> Option<&'static str> {
    ZH.binary_search_by(|(k, _)| (*k).cmp(en)).ok().map(|i| ZH[i].1)
}

/// A message from the view-model (a refused edit, a bad field, a step that cannot run) in
/// language `l`. Fixed messages are looked up like interface strings; messages with varying
/// parts match a template of [`ZH_MESSAGES`] (`{}` for each part, in order), and the parts that
/// are interface words (kinds: `queue`, `exchange`…) are translated too. Anything else, such as
/// RabbitMQ's own error texts, stays as it is.
pub fn message(l: Lang, msg: &str) -> String {
    if l == Lang::En {
        return msg.to_string();
    }
    if translated(msg) {
        return tr_owned(l, msg);
    }
    for (en, zh) in ZH_MESSAGES {
        if let Some(parts) = fill(en, msg) {
            let mut out = zh.to_string();
            for (i, p) in parts.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), &tr_owned(l, p));
            }
            return out;
        }
    }
    msg.to_string()
}

fn tr_owned(l: Lang, en: &str) -> String {
    match l {
        Lang::Zh => zh(en).unwrap_or(en).to_string(),
        Lang::En => en.to_string(),
    }
}

/// The parts of `msg` where `template` has `{}`, if `msg` has the template's shape.
fn fill(template: &str, msg: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = msg.strip_prefix(pieces[0])?;
    let mut parts = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            if !rest.ends_with(piece) {
                return None;
            }
            rest.len() - piece.len()
        } else if piece.is_empty() {
            return None; // two parts side by side: ambiguous, not used
        } else {
            rest.find(piece)?
        };
        parts.push(rest[..at].to_string());
        rest = &rest[at + piece.len()..];
    }
    Some(parts)
}

/// Messages with varying parts: the English shape (`{}` per part) and the Chinese, which names
/// the parts `{0}`, `{1}`… (so they may come in another order).
pub const ZH_MESSAGES: &[(&str, &str)] = &[
    ("another {} is already called '{}'", "已经有一个叫 '{1}' 的{0}"),
    ("a {} cannot become a {}", "{0}不能变成{1}"),
    ("unknown exchange type '{}'", "未知的交换机类型 '{0}'"),
    (
        "a {} cannot be linked to a {} (link producers to exchanges or queues, exchanges to queues or exchanges, queues to consumers)",
        "{0}不能连接到{1}（生产者连到交换机或队列，交换机连到队列或交换机，队列连到消费者）",
    ),
    ("x-match is all or any, not '{}'", "x-match 只能是 all 或 any，不能是 '{0}'"),
    ("a {} needs a name", "{0}需要一个名字"),
    ("an {} needs a name", "{0}需要一个名字"),
    (
        "{} is not linked to an exchange or a queue: draw a link from it first",
        "{0} 没有连接到交换机或队列：先从它拖出一条连线",
    ),
    ("{} is not a producer", "{0} 不是生产者"),
    ("{} is not a consumer", "{0} 不是消费者"),
    ("{} is already stopped", "{0} 已经停止了"),
    ("{} is already running", "{0} 已经在运行了"),
    ("the tutorial needs the {} {}, which is not on the canvas", "教程需要{0} {1}，但它不在画布上"),
    ("'{}' is not a number in range", "'{0}' 不是范围内的数字"),
    ("'{}' is not key=value", "'{0}' 不是 key=value 的形式"),
    ("arguments: {}", "参数：{0}"),
    ("{} events so far; the newest {} shown", "已有 {0} 个事件；显示最新的 {1} 个"),
];

/// Whether `en` has a Chinese translation (tests check every interface string has one).
pub fn translated(en: &str) -> bool {
    zh(en).is_some()
}

/// The Chinese interface strings, sorted by their English key (a test keeps them sorted).
pub const ZH: &[(&str, &str)] = &[
    (" (highlighted)", "（已高亮）"),
    (" (same correlation id: the RPC request and its reply; highlighted on the canvas and in the log)", "（相同的 correlation id：RPC 请求和它的应答；在画布和日志中高亮显示）"),
    (" default exchange", " 默认交换机"),
    ("(default)", "（默认）"),
    ("(empty)", "（空）"),
    ("(nothing)", "（无）"),
    ("+ User", "+ 用户"),
    ("Ack", "确认"),
    ("Ack required", "需要确认"),
    ("Add nodes from the palette, drag them to move, drag from a node's round handle onto another node to link it (producer → exchange or queue, exchange → queue or exchange, queue → consumer). Select a producer and press Publish. Click an event in the log to follow its message.", "从工具栏添加节点，拖动来移动；从节点的圆形手柄拖到另一个节点上来连接（生产者 → 交换机或队列，交换机 → 队列或交换机，队列 → 消费者）。选中一个生产者，按“发布”。点击日志里的事件，可以跟踪它的消息。"),
    ("Broker restart", "重启 broker"),
    ("Build a design with the palette, or learn step by step with a tutorial.", "用工具栏搭一个设计，或者跟着教程一步步学。"),
    ("Channels", "信道"),
    ("Check on the canvas", "对照画布检查"),
    ("Compare", "比较"),
    ("Connections", "连接"),
    ("Consumer", "消费者"),
    ("Consumers", "消费者"),
    ("Copied ✓", "已复制 ✓"),
    ("Copy", "复制"),
    ("Could not autosave: local storage is full or disabled. Use Save to keep your work.", "无法自动保存：本地存储已满或被禁用。请用“保存”留下你的工作。"),
    ("Could not make definitions:", "无法生成定义："),
    ("Created before the producers and consumers connect, with their permissions on vhost / (regular expressions: configure, write, read). guest / guest has .* on everything.", "在生产者和消费者连接之前创建，并带有它们在 vhost / 上的权限（正则表达式：configure、write、read）。guest / guest 对一切都是 .*。"),
    ("Definitions", "导出定义"),
    ("Delete", "删除"),
    ("Deliver", "投递"),
    ("Direct reply-to: it consumes amq.rabbitmq.reply-to itself; replies come straight back, through no queue.", "Direct reply-to（直接回复）：它自己消费 amq.rabbitmq.reply-to；应答不经过任何队列直接返回。"),
    ("Download", "下载"),
    ("Embed it in a page ", "嵌入到网页 "),
    ("Event log", "事件日志"),
    ("Exchanges", "交换机"),
    ("Exit presentation", "退出演示"),
    ("Files", "文件"),
    ("Fit", "适应窗口"),
    ("Goes with:", "相关消息："),
    ("How to build your own", "怎样自己搭建"),
    ("Imported the definitions' topology; left out:", "已导入定义中的拓扑；未导入："),
    ("Link to this design and its run ", "这个设计及其运行的链接 "),
    ("Linked to a queue: publishes through the default exchange with the queue's name as routing key.", "已连接到队列：通过默认交换机发布，路由键就是队列名。"),
    ("Load", "打开"),
    ("Loading the tutorial…", "正在加载教程…"),
    ("Made for RabbitMQ 3.10, so it runs as 3.10. Choose RabbitMQ 4.3 above to see what today's RabbitMQ does, or Compare 3.10 ⇄ 4.3.", "这是为 RabbitMQ 3.10 做的，所以按 3.10 运行。在上方选择 RabbitMQ 4.3 可以看到如今的 RabbitMQ 怎么做，或点“比较 3.10 ⇄ 4.3”。"),
    ("New", "新建"),
    ("New file", "新建文件"),
    ("New terminal", "新建终端"),
    ("Next step →", "下一步 →"),
    ("Not copied: select the text and copy it", "没有复制成功：请选中文字后手动复制"),
    ("Not quite: look at", "还不对：看一看"),
    ("Open .py files", "打开 .py 文件"),
    ("Opened the shared design. Undo returns to the canvas you had.", "已打开分享的设计。撤销可以回到你原来的画布。"),
    ("Overview", "概览"),
    ("Overview of the simulated broker (vhost /) at this moment; rates over the last 5 s of simulated time.", "此刻模拟 broker（vhost /）的概览；速率按最近 5 秒模拟时间计算。"),
    ("Pause", "暂停"),
    ("Play", "播放"),
    ("Prefetch", "预取"),
    ("Present", "演示模式"),
    ("Publish", "发布"),
    ("Publish a message and watch it flow, or learn step by step with a tutorial.", "发布一条消息，看它怎样流动；或者跟着教程一步步学。"),
    ("Python", "Python 代码"),
    ("Python (pika) for this design, in the style of the RabbitMQ tutorials: run setup.py, then the consumers and producers, against your own RabbitMQ (AMQP_HOST, default localhost). expected.txt is what rabbitmqctl list_queues name messages should print after setup and each producer once.", "这个设计的 Python（pika）代码，风格与 RabbitMQ 官方教程相同：先运行 setup.py，再运行消费者和生产者，连接你自己的 RabbitMQ（AMQP_HOST，默认 localhost）。expected.txt 是运行 setup 和每个生产者一次之后，rabbitmqctl list_queues name messages 应该打印的内容。"),
    ("Queue", "队列"),
    ("Queues", "队列"),
    ("RPC server: reply to reply_to", "RPC 服务端：回复到 reply_to"),
    ("RabbitMQ version", "RabbitMQ 版本"),
    ("Ready", "就绪"),
    ("Redo", "重做"),
    ("Remove", "删除"),
    ("Right.", "答对了。"),
    ("Run the terminals", "运行终端"),
    ("Running…", "运行中…"),
    ("Save", "保存"),
    ("Saved RabbitMQ definitions: load them into a broker with `rabbitmqctl import_definitions FILE` or the management UI.", "已保存 RabbitMQ 定义（definitions）：用 `rabbitmqctl import_definitions FILE` 或管理界面导入到 broker。"),
    ("Saved. Load opens the file again, with what it ran.", "已保存。用“打开”可以再次打开这个文件，连同它运行过的内容。"),
    ("Share", "分享"),
    ("Speed ", "速度 "),
    ("Start (run its script again)", "启动（再次运行它的脚本）"),
    ("Start over", "从头开始"),
    ("Step", "步骤"),
    ("Step →", "单步 →"),
    ("Stop (its client dies)", "停止（客户端退出）"),
    ("Stop the run", "停止运行"),
    ("Stopped: its connection is closed and its unacked messages went back to the queue.", "已停止：它的连接已关闭，未确认的消息已回到队列。"),
    ("Take the Python panel's scripts", "使用 Python 面板的脚本"),
    ("Terminals", "终端"),
    ("That file could not be loaded; your canvas is unchanged.", "无法打开这个文件；你的画布没有改变。"),
    ("The Python panel is writing the code: take it again in a moment.", "Python 面板正在生成代码，请稍后再试一次。"),
    ("The RabbitMQ the design runs as: its rules, texts and rabbitmqctl", "设计按哪个 RabbitMQ 运行：它的规则、文字和 rabbitmqctl"),
    ("The canvas shows your scripts' run: t1, t2… are the terminals. Step back to see it again; Undo brings back your design.", "画布显示的是你的脚本的运行：t1、t2… 就是各个终端。后退可以重看；撤销会恢复你原来的设计。"),
    ("The link could not be opened; your canvas is unchanged.", "无法打开这个链接；你的画布没有改变。"),
    ("The question →", "问题 →"),
    ("The run goes on without it; ↺ Restart starts again with it, and Undo then brings this run back.", "当前运行继续，不包含这个改动；↺ 重新开始会带着改动重新运行，之后撤销可以找回现在这次运行。"),
    ("The run so far as RabbitMQ 3.10 and as 4.3: what differs, and why", "到目前为止的运行分别作为 RabbitMQ 3.10 和 4.3：哪里不同，为什么"),
    ("The run so far gives the same on RabbitMQ 3.10 and 4.3. Steps run:", "到目前为止的运行在 RabbitMQ 3.10 和 4.3 上结果相同。运行的步骤数："),
    ("The run so far, step by step, as RabbitMQ 3.10 and as 4.3: the steps that differ, and why. Steps that differ:", "到目前为止的运行，逐步分别作为 RabbitMQ 3.10 和 4.3：不同的步骤，以及原因。不同的步骤数："),
    ("The saved canvas could not be read; it is kept in local storage as 'warren.design.unreadable'. Showing the example.", "无法读取保存的画布；它以 'warren.design.unreadable' 保留在本地存储中。现在显示示例。"),
    ("The scripts are the clients on this canvas: act in their terminals.", "这张画布上的客户端就是你的脚本：请在它们的终端里操作。"),
    ("The tools could not be started:", "无法启动工具："),
    ("The tutorial replaced the canvas: Undo (Ctrl+Z) brings yours back.", "教程替换了画布：撤销（Ctrl+Z）可以恢复你原来的画布。"),
    ("The tutorials could not be loaded:", "无法加载教程："),
    ("This change needs a new run:", "这个改动需要重新运行："),
    ("This client is the script in that terminal: what it does is its code's.", "这个客户端就是那个终端里的脚本：它做什么由它的代码决定。"),
    ("This exchange is not on the broker (see the log for why).", "这个交换机不在 broker 上（原因见日志）。"),
    ("This link has no settings: a producer's routing key is set on the producer.", "这条连线没有设置：生产者的路由键在生产者上设置。"),
    ("Tidy", "整理布局"),
    ("Total", "总计"),
    ("Tutorials", "教程"),
    ("Tutorials…", "教程…"),
    ("Type a command in a terminal first, such as python receive.py", "请先在终端里输入命令，例如 python receive.py"),
    ("Type a whole number, as the canvas shows it.", "请输入一个整数，就像画布上显示的那样。"),
    ("Unacked", "未确认"),
    ("Undo", "撤销"),
    ("Users and permissions", "用户与权限"),
    ("Utilisation", "利用率"),
    ("Watch:", "观察："),
    ("What the dots mean", "圆点的含义"),
    ("Why:", "原因："),
    ("Writing the code…", "正在生成代码…"),
    ("Your own pika scripts, run as the tutorials say: one terminal each, on the simulated broker, drawn on the canvas on its clock. The next command is typed once every terminal has been quiet for 1.5 s; Ctrl+C stops a script where it waits.", "运行你自己的 pika 脚本，就像教程里说的那样：每个脚本一个终端，连接模拟的代理，并按模拟时钟画在画布上。所有终端安静 1.5 秒后输入下一条命令；Ctrl+C 会在脚本等待的地方停止它。"),
    ("a burst is from 1 to 10000 messages", "每次条数（burst）在 1 到 10000 之间"),
    ("a failure rate is a percentage from 0 to 100", "失败率是 0 到 100 之间的百分比"),
    ("a message on its way", "传递中的消息"),
    ("a name is at most 255 bytes (AMQP short string)", "名字最多 255 字节（AMQP short string）"),
    ("a position must be a number", "位置必须是数字"),
    ("ack", "确认"),
    ("add a consumer", "添加消费者"),
    ("add a producer", "添加生产者"),
    ("add a queue", "添加队列"),
    ("add an exchange", "添加交换机"),
    ("alternate exchange", "备用交换机（alternate exchange）"),
    ("an ack (or nack) to the broker", "发回 broker 的 ack（或 nack）"),
    ("an exchange cannot be bound to itself here", "这里交换机不能绑定到自己"),
    ("auto-ack", "自动确认（auto-ack）"),
    ("auto-delete", "自动删除（auto-delete）"),
    ("binding key", "绑定键（binding key）"),
    ("bindings of", "绑定："),
    ("body", "消息体（body）"),
    ("burst", "每次条数（burst）"),
    ("choose a node…", "选择一个节点…"),
    ("close the terminals", "关闭终端"),
    ("configure", "configure（配置）"),
    ("consumer", "消费者"),
    ("copy the embed snippet", "复制（嵌入代码）"),
    ("copy the link", "复制（链接）"),
    ("correlation id", "关联 ID（correlation id）"),
    ("dead-lettered", "进入死信"),
    ("delete selection", "删除"),
    ("deliver", "投递"),
    ("durable", "持久化（durable）"),
    ("every ms (0 = on click)", "每隔毫秒数（0 = 点击时）"),
    ("every: 0 (publish on click) or at least 50 ms", "间隔：0（点击时发布）或至少 50 毫秒"),
    ("exchange", "交换机"),
    ("exchange names starting with 'amq.' are reserved by RabbitMQ", "以 'amq.' 开头的交换机名是 RabbitMQ 保留的"),
    ("exclusive", "排他（exclusive）"),
    ("exit", "退出码"),
    ("expiration ms", "过期时间 expiration（毫秒）"),
    ("export RabbitMQ definitions", "导出定义"),
    ("failure %", "失败率 %"),
    ("file name", "文件名"),
    ("filter: deliver, ack, a queue…", "筛选：deliver、ack、队列名…"),
    ("fit to screen", "适应窗口"),
    ("from step", "来自步骤"),
    ("headers (k=v, …)", "消息头 headers（k=v, …）"),
    ("headers arguments (x-match=all, k=v, …)", "headers 参数（x-match=all, k=v, …）"),
    ("in terminal", "于终端"),
    ("in use:", "正在使用："),
    ("incoming", "流入"),
    ("link to", "连接到"),
    ("mandatory", "mandatory（无法路由时退回）"),
    ("message", "消息"),
    ("name", "名称"),
    ("new empty canvas", "新建"),
    ("not on the broker", "不在 broker 上"),
    ("on failure: reject (else nack)", "失败时：reject（否则 nack）"),
    ("open Python files", "打开 Python 文件"),
    ("output", "输出"),
    ("overview", "概览"),
    ("password", "密码"),
    ("path", "路径"),
    ("pause", "暂停"),
    ("persistent (delivery_mode 2)", "持久化消息（delivery_mode 2）"),
    ("play", "播放"),
    ("prefetch", "预取数 prefetch"),
    ("priority", "优先级 priority"),
    ("processing ms", "处理时间（毫秒）"),
    ("producer", "生产者"),
    ("publish", "发布"),
    ("publisher confirms", "发布确认（publisher confirms）"),
    ("python code", "Python 代码"),
    ("queue", "队列"),
    ("rabbitmqctl console", "rabbitmqctl 控制台"),
    ("read", "read（读）"),
    ("redo", "重做"),
    ("remove", "删除"),
    ("remove terminal", "删除终端"),
    ("reply to", "回复队列 reply_to"),
    ("requeue on failure", "失败时重新入队（requeue）"),
    ("requeued", "重新入队"),
    ("restart from the same seed", "重新开始"),
    ("returned to its publisher", "退回给发布者"),
    ("routing key", "路由键（routing key）"),
    ("save scenario file", "保存"),
    ("share as a link", "分享"),
    ("step", "步骤"),
    ("step back", "后退"),
    ("step forward", "单步"),
    ("stopped", "已停止"),
    ("terminal", "终端"),
    ("terminals", "终端"),
    ("test a routing key", "测试一个路由键"),
    ("text of", "内容："),
    ("that consumer is gone", "这个消费者已经不存在了"),
    ("that link is gone", "这条连线已经不存在了"),
    ("that producer is gone", "这个生产者已经不存在了"),
    ("the link's end is gone", "连线的终点已经不存在了"),
    ("the link's start is gone", "连线的起点已经不存在了"),
    ("these two are already linked", "这两个节点已经连接了"),
    ("tidy layout", "整理布局"),
    ("type", "类型"),
    ("undo", "撤销"),
    ("unlimited", "不限"),
    ("unroutable or dropped", "无法路由或被丢弃"),
    ("user", "用户"),
    ("user (empty: guest)", "用户（留空：guest）"),
    ("write", "write（写）"),
    ("x-dead-letter-exchange", "死信交换机 x-dead-letter-exchange"),
    ("x-dead-letter-routing-key", "死信路由键 x-dead-letter-routing-key"),
    ("x-delivery-limit", "投递次数上限 x-delivery-limit"),
    ("x-max-length", "最大长度 x-max-length"),
    ("x-max-priority", "最大优先级 x-max-priority"),
    ("x-message-ttl ms", "消息 TTL x-message-ttl（毫秒）"),
    ("x-overflow", "溢出策略 x-overflow"),
    ("x-queue-type", "队列类型 x-queue-type"),
    ("← Back", "← 后退"),
    ("↺ Restart", "↺ 重新开始"),
    ("⚡ Broker restart", "⚡ 重启 broker"),
    ("✔ matched", "✔ 匹配"),
    ("✘ no match", "✘ 不匹配"),
];
