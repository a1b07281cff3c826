//! What `rabbitmqctl` says when it is not told to be quiet (no `-q`): a line saying what it is
//! about to do before the command's own output (`Adding user "alice" ...`, `Listing queues for
//! vhost / ...`), and `help`. Recorded from RabbitMQ 3.10.8's rabbitmqctl. A command refused
//! before it runs (a usage error, the app not in the state it needs) says nothing more.

use super::{app_state_error_in, parse, usage_error, Output, COMMANDS, GENERAL_USAGE, PREFIX};

/// The simulated node's name, as rabbitmqctl names it.
pub const NODE: &str = "rabbit@warren";

/// `out`, what the command `args` printed with `-q`, as it prints without: the line saying what
/// it does first, and after `add_user` its reminder. `running` is whether the RabbitMQ app was
/// running when the command was given.
pub fn verbose(running: bool, args: &[&str], out: Output) -> Output {
    let Ok(p) = parse(args) else {
        return out;
    };
    if app_state_error_in(running, &p).is_some() {
        return out;
    }
    let w = &p.words;
    let v = p.vhost;
    let word = |i: usize| w.get(i).copied().unwrap_or_default();
    let said = match p.cmd {
        "list_queues" => format!("Timeout: 60.0 seconds ...\nListing queues for vhost {v} ...\n"),
        "list_exchanges" => format!("Listing exchanges for vhost {v} ...\n"),
        // (no space before the dots: as 3.10.8 prints it)
        "list_bindings" => format!("Listing bindings for vhost {v}...\n"),
        "list_consumers" => format!("Listing consumers in vhost {v} ...\n"),
        "list_connections" => "Listing connections ...\n".into(),
        "list_channels" => "Listing channels ...\n".into(),
        "list_users" => "Listing users ...\n".into(),
        "list_vhosts" => "Listing vhosts ...\n".into(),
        "list_permissions" => format!("Listing permissions for vhost \"{v}\" ...\n"),
        "list_user_permissions" => format!("Listing permissions for user \"{}\" ...\n", word(0)),
        "purge_queue" => format!("Purging queue '{}' in vhost '{v}' ...\n", word(0)),
        "delete_queue" => format!("Deleting queue '{}' on vhost '{v}' ...\n", word(0)),
        "add_user" => format!("Adding user \"{}\" ...\n", word(0)),
        "delete_user" => format!("Deleting user \"{}\" ...\n", word(0)),
        "change_password" => format!("Changing password for user \"{}\" ...\n", word(0)),
        "set_user_tags" => format!("Setting tags for user \"{}\" to [{}] ...\n", word(0), w[1..].join(", ")),
        "add_vhost" => format!("Adding vhost \"{}\" ...\n", word(0)),
        "delete_vhost" => format!("Deleting vhost \"{}\" ...\n", word(0)),
        "set_permissions" => format!("Setting permissions for user \"{}\" in vhost \"{v}\" ...\n", word(0)),
        "clear_permissions" => format!("Clearing permissions for user \"{}\" in vhost \"{v}\" ...\n", word(0)),
        "stop_app" => format!("Stopping rabbit application on node {NODE} ...\n"),
        "start_app" => format!("Starting node {NODE} ...\n"),
        "reset" => format!("Resetting node {NODE} ...\n"),
        _ => String::new(),
    };
    let after = match (p.cmd, out.status) {
        ("add_user", 0) => "Done. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl help set_permissions' to learn more.\n",
        _ => "",
    };
    Output {
        stdout: format!("{said}{}{after}", out.stdout),
        ..out
    }
}

/// What each command does, as `rabbitmqctl help` says it.
const ABOUT: &[(&str, &str)] = &[
    ("add_user", "Creates a new user in the internal database. This user will have no permissions for any virtual hosts by default."),
    ("add_vhost", "Creates a virtual host"),
    ("change_password", "Changes the user password"),
    ("clear_permissions", "Revokes user permissions for a vhost"),
    ("delete_queue", "Deletes a queue"),
    ("delete_user", "Removes a user from the internal database. Has no effect on users provided by external backends such as LDAP"),
    ("delete_vhost", "Deletes a virtual host"),
    ("list_bindings", "Lists all bindings on a vhost"),
    ("list_channels", "Lists all channels in the node"),
    ("list_connections", "Lists AMQP 0.9.1 connections for the node"),
    ("list_consumers", "Lists all consumers for a vhost"),
    ("list_exchanges", "Lists exchanges"),
    ("list_permissions", "Lists user permissions in a virtual host"),
    ("list_queues", "Lists queues and their properties"),
    ("list_user_permissions", "Lists permissions of a user across all virtual hosts"),
    ("list_users", "List user names and tags"),
    ("list_vhosts", "Lists virtual hosts"),
    ("purge_queue", "Purges a queue (removes all messages in it)"),
    ("reset", "Instructs a RabbitMQ node to leave the cluster and return to its virgin state"),
    ("set_permissions", "Sets user permissions for a vhost"),
    ("set_user_tags", "Sets user tags"),
    ("start_app", "Starts the RabbitMQ application but leaves the runtime (Erlang VM) running"),
    ("stop_app", "Stops the RabbitMQ application, leaving the runtime (Erlang VM) running"),
];

/// `rabbitmqctl help [COMMAND]`: the commands this node answers, each with what it does (as
/// RabbitMQ's help words it), or one command's usage. The simulated node answers fewer
/// commands than a real one, and says so.
pub fn help(args: &[&str]) -> Output {
    match args {
        [] => {
            let mut s = format!("\nUsage\n\n{GENERAL_USAGE}\n\nAvailable commands (those the simulated node answers; a real node has more):\n\n");
            for (cmd, _, _, _) in COMMANDS {
                let about = ABOUT.iter().find(|a| a.0 == *cmd).map_or("", |a| a.1);
                s.push_str(&format!("   {cmd:<30}{about}\n"));
            }
            s.push_str(&format!("   {:<30}Displays usage information for a command\n", "help"));
            s.push_str("\nUse 'rabbitmqctl help <command>' to learn more about a specific command\n");
            Output {
                stdout: s,
                stderr: String::new(),
                status: 0,
            }
        }
        [cmd] => match COMMANDS.iter().find(|c| c.0 == *cmd) {
            Some((_, usage, _, _)) => {
                let about = ABOUT.iter().find(|a| a.0 == *cmd).map_or("", |a| a.1);
                Output {
                    stdout: format!("\nUsage\n\n{PREFIX}{usage}\n\n{about}\n"),
                    stderr: String::new(),
                    status: 0,
                }
            }
            None => usage_error(format!("Command '{cmd}' not found. "), GENERAL_USAGE),
        },
        _ => usage_error(
            "Error (argument validation): too many arguments.".into(),
            "rabbitmqctl [--node <node>] [--longnames] [--quiet] help <command>",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet(stdout: &str, status: i32) -> Output {
        Output {
            stdout: stdout.into(),
            stderr: if status == 0 {
                String::new()
            } else {
                "Error:\nsome reason\n".into()
            },
            status,
        }
    }

    #[test]
    fn says_what_it_does_first_as_rabbitmqctl_does() {
        let said = |args: &[&str], out| verbose(true, args, out).stdout;
        assert_eq!(
            said(&["add_user", "alice", "secret"], quiet("", 0)),
            "Adding user \"alice\" ...\nDone. Don't forget to grant the user permissions to some virtual hosts! See 'rabbitmqctl help set_permissions' to learn more.\n"
        );
        // refused while running: no reminder, the error stays on stderr
        let refused = verbose(true, &["add_user", "alice", "x"], quiet("", 70));
        assert_eq!(refused.stdout, "Adding user \"alice\" ...\n");
        assert_eq!((refused.stderr.as_str(), refused.status), ("Error:\nsome reason\n", 70));
        assert_eq!(
            said(&["list_queues", "name", "messages"], quiet("name\tmessages\nq\t1\n", 0)),
            "Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tmessages\nq\t1\n"
        );
        assert_eq!(
            said(&["list_bindings", "-p", "v2"], quiet("", 0)),
            "Listing bindings for vhost v2...\n"
        );
        assert_eq!(
            said(&["set_user_tags", "bob", "a", "b"], quiet("", 0)),
            "Setting tags for user \"bob\" to [a, b] ...\n"
        );
        assert_eq!(
            said(&["set_permissions", "alice", ".*", "", ".*"], quiet("", 0)),
            "Setting permissions for user \"alice\" in vhost \"/\" ...\n"
        );
        assert_eq!(
            said(&["stop_app"], quiet("", 0)),
            "Stopping rabbit application on node rabbit@warren ...\n"
        );
    }

    #[test]
    fn a_command_refused_before_it_runs_says_nothing_more() {
        let usage = quiet("", 64);
        // the app stopped: only the error
        assert_eq!(verbose(false, &["list_queues"], usage.clone()), usage);
        // reset needs it stopped
        assert_eq!(verbose(true, &["reset"], usage.clone()), usage);
        assert_eq!(
            verbose(false, &["reset"], quiet("", 0)).stdout,
            "Resetting node rabbit@warren ...\n"
        );
        // unknown commands and bad arguments
        assert_eq!(verbose(true, &["frobnicate"], usage.clone()), usage);
        assert_eq!(verbose(true, &["add_user", "only-a-name"], usage.clone()), usage);
    }

    #[test]
    fn help_lists_every_command_with_what_it_does() {
        let h = help(&[]).stdout;
        for (cmd, _, _, _) in COMMANDS {
            let line = h
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{cmd} ")))
                .unwrap_or_else(|| panic!("{cmd} listed"));
            assert!(
                line.len() > 33 && line[33..].trim().len() >= 10,
                "{cmd} has its description: {line:?}"
            );
        }
        assert!(help(&["purge_queue"]).stdout.contains("purge_queue <queue>"));
        assert_eq!(help(&["frobnicate"]).status, 64);
    }
}
