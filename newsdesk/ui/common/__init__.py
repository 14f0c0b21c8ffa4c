"""Small pieces every part of the window uses: file dialogs, background workers."""
