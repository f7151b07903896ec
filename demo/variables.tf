# The demo takes no inputs: scripts/demo.py applies it as it is.
