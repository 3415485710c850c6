"""The autograde engine behind `peersupport grade`: worker processes (``pool``, ``worker``) grading
with nbgrader's own API, each kernel in a bubblewrap sandbox (``sandbox``) or forked from a warm
template (``kernelfork``) and always started through the trusted launcher (``launch``); what was
graded (``state``); every problem named (``reasons``); the run and its summary (``grade``)."""
