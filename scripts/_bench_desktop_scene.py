# A typical desktop for the MCP screenshot benchmark: a wallpaper (a desktop
# window showing an image scaled to the screen, as desktop shells draw it)
# and two GTK 3 application windows (a text editor showing source code, a
# file list with a toolbar and a search entry) at fixed places. Prints
# "ready" once all are drawn; exits when stdin closes. The benchmark adds a
# terminal. Usage: python3 _bench_desktop_scene.py WALLPAPER SOURCE LISTING
import os
import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GdkPixbuf, GLib, Gtk  # noqa: E402

wallpaper_file, source, listing = sys.argv[1:4]

size = Gdk.Display.get_default().get_monitor(0).get_geometry()
desktop = Gtk.Window(title="desktop")
desktop.set_type_hint(Gdk.WindowTypeHint.DESKTOP)
desktop.set_decorated(False)
desktop.move(0, 0)
desktop.set_default_size(size.width, size.height)
desktop.add(Gtk.Image.new_from_pixbuf(GdkPixbuf.Pixbuf.new_from_file_at_scale(
    wallpaper_file, size.width, size.height, False)))

editor = Gtk.Window(title="editor")
editor.set_default_size(900, 700)
editor.move(40, 40)
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
bar = Gtk.Box(spacing=6)
for label in ["Open", "Save", "Undo", "Redo", "Find", "Replace"]:
    bar.pack_start(Gtk.Button(label=label), False, False, 0)
box.pack_start(bar, False, False, 4)
view = Gtk.TextView()
view.set_monospace(True)
with open(source, encoding="utf-8") as f:
    view.get_buffer().set_text(f.read())
scroll = Gtk.ScrolledWindow()
scroll.add(view)
box.pack_start(scroll, True, True, 0)
status = Gtk.Label(label=f"{os.path.basename(source)}  —  UTF-8  —  Ln 1, Col 1")
status.set_xalign(0)
box.pack_start(status, False, False, 4)
editor.add(box)

files = Gtk.Window(title="files")
files.set_default_size(860, 520)
files.move(1000, 70)
fbox = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
top = Gtk.Box(spacing=6)
for label in ["Back", "Forward", "Up", "Home"]:
    top.pack_start(Gtk.Button(label=label), False, False, 0)
search = Gtk.SearchEntry()
search.set_text("lib")
top.pack_end(search, False, False, 0)
fbox.pack_start(top, False, False, 4)
store = Gtk.ListStore(str, str, str)
with open(listing, encoding="utf-8") as f:
    for line in f:
        parts = line.split()
        if len(parts) >= 9:
            store.append([parts[8], parts[4], " ".join(parts[5:8])])
tree = Gtk.TreeView(model=store)
for i, title in enumerate(["Name", "Size", "Modified"]):
    tree.append_column(Gtk.TreeViewColumn(title, Gtk.CellRendererText(), text=i))
fscroll = Gtk.ScrolledWindow()
fscroll.add(tree)
fbox.pack_start(fscroll, True, True, 0)
files.add(fbox)

drawn = set()


def on_map(window, _event):
    # Mapped windows draw on the next frame; the benchmark waits for the
    # screen to stop changing as well.
    drawn.add(window)
    if len(drawn) == 3:
        GLib.timeout_add(300, lambda: (print("ready", flush=True), False)[1])
    return False


def on_stdin(channel, _condition):
    if not channel.readline():
        Gtk.main_quit()
        return False
    return True


for w in (desktop, editor, files):
    w.connect("map-event", on_map)
    w.show_all()
GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.IO_IN | GLib.IO_HUP, on_stdin)
Gtk.main()
