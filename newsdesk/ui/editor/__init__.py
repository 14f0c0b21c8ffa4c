"""The editing surface: the story editor, its highlighter, find and replace, focus mode, the story session."""
