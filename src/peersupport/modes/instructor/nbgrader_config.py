# nbgrader on a trainee's or instructor's own server: which course, and where its exchange is.
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
c.CourseDirectory.course_id = os.environ.get("PEERSUPPORT_COURSE", "peer-support")
c.Exchange.root = os.environ.get("PEERSUPPORT_EXCHANGE", "/srv/nbgrader/exchange")
# only the trainee and the course's grader can read a submission (peersupport/hub/exchange.py)
c.ExchangeFactory.submit = "peersupport.hub.exchange.PrivateSubmit"
