"""GTK3 test application for opendesk's desktop tests (run with Debian's /usr/bin/python3).

Usage: gtk_app.py [--title T] [--wm-class C] [--windows N] [--buttons N] [--depth N] [--entry]
                  [--hidden N]
                  [--ignore-close]
Prints "ready" once every window is shown, "clicked <label>" when a button is activated and
"text <value>" when the entry changes. --ignore-close keeps the app running when its windows
are closed (for "app that never exits" tests), and SIGTERM is ignored too.
"""
import argparse
import signal
import sys

import gi

parser = argparse.ArgumentParser()
parser.add_argument("--title", default="opendesk test")
parser.add_argument("--wm-class", dest="wm_class", default="odtest")
parser.add_argument("--windows", type=int, default=1)
parser.add_argument("--buttons", type=int, default=1)
parser.add_argument("--depth", type=int, default=0)
parser.add_argument("--entry", action="store_true")
parser.add_argument("--ignore-close", action="store_true")
# Widgets a person cannot see: hidden buttons, and a notebook whose second page is not shown.
parser.add_argument("--hidden", type=int, default=0)
args = parser.parse_args()

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import GLib  # noqa: E402

# WM_CLASS comes from the program name, which GTK reads when it initialises (at import).
GLib.set_prgname(args.wm_class)
GLib.set_application_name(args.wm_class)
from gi.repository import Gdk, Gtk  # noqa: E402

Gdk.set_program_class(args.wm_class.capitalize())


def on_click(button):
    print("clicked", button.get_label(), flush=True)


def on_text(entry):
    print("text", entry.get_text(), flush=True)


def build(index):
    win = Gtk.Window(title=args.title if args.windows == 1 else f"{args.title} {index}")
    win.set_default_size(420, 300)
    outer = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    inner = outer
    for level in range(args.depth):
        nested = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        inner.pack_start(nested, False, False, 0)
        inner = nested
    leaf = Gtk.Button(label="Deep") if args.depth else None
    if leaf:
        leaf.connect("clicked", on_click)
        inner.pack_start(leaf, False, False, 0)
    if args.entry:
        entry = Gtk.Entry()
        entry.set_text("initial")
        entry.connect("changed", on_text)
        outer.pack_start(entry, False, False, 0)
    grid = Gtk.FlowBox()
    grid.set_max_children_per_line(20)
    for i in range(args.buttons):
        b = Gtk.Button(label=f"Button {i}")
        b.connect("clicked", on_click)
        grid.add(b)
    scroller = Gtk.ScrolledWindow()
    scroller.add(grid)
    outer.pack_start(scroller, True, True, 0)
    hidden = []
    if args.hidden:
        for i in range(args.hidden):
            b = Gtk.Button(label=f"Hidden {i}")
            outer.pack_start(b, False, False, 0)
            hidden.append(b)
        book = Gtk.Notebook()
        book.append_page(Gtk.Button(label="Shown page"), Gtk.Label(label="One"))
        book.append_page(Gtk.Button(label="Other page"), Gtk.Label(label="Two"))
        outer.pack_start(book, False, False, 0)
    win.add(outer)
    if args.ignore_close:
        win.connect("delete-event", lambda *_: True)
    else:
        win.connect("destroy", Gtk.main_quit)
    win.show_all()
    for b in hidden:
        b.hide()


for i in range(args.windows):
    build(i)
if args.ignore_close:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
GLib.idle_add(lambda: print("ready", flush=True) and False)
Gtk.main()
