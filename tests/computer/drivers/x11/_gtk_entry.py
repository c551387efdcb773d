# A GTK 3 window with one text entry, for the native backend's typing test.
# Prints "ready" once mapped; on each stdin line "dump" prints the entry's text
# as JSON; exits when stdin closes.
import json
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402

win = Gtk.Window(title="opendesk typing test")
win.set_default_size(600, 80)
win.move(0, 0)
entry = Gtk.Entry()
win.add(entry)


def on_map(*_args):
    entry.grab_focus()
    GLib.timeout_add(200, lambda: (print("ready", flush=True), False)[1])


def on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        Gtk.main_quit()
        return False
    if line.strip() == "dump":
        print(json.dumps(entry.get_text()), flush=True)
    return True


win.connect("map-event", on_map)
win.connect("destroy", Gtk.main_quit)
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
win.show_all()
Gtk.main()
