"""Two-way SMS inbound: keywords, the self-managed opt-out list, replies, the AJO
inbound webhook and the event export, each step once per inboundMessageId."""
