"""Crisis staff: call-outs with their timeline, and the contact list."""
