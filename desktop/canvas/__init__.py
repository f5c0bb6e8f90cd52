"""The graph editor (editor.py) and what it is made of: the scene that mirrors the model, the
view, gestures, node and link items, their style, lanes, hit testing and image export."""
