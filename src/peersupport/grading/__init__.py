"""nbgrader integration: graded items trainees answer by clicking (or typing), answers that
survive autograde, scoring for hidden tests, feedback scrubbing and the course configuration.

In a graded notebook::

    from peersupport.grading import choose, answer, check
    choose("al-q1")          # click an answer; it is saved to my-answers.json at once
    answer("al-q1", "B")     # or type it
"""

from .trainee import NotAnsweredYet, answer, check, choose

__all__ = ["NotAnsweredYet", "answer", "check", "choose"]
