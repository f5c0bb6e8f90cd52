"""The graph editor: scene, view, node and link items, and the mouse gestures."""
