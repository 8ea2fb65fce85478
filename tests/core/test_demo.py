from django.contrib.auth import authenticate

from guanwu.core.demo import create_demo
from guanwu.tenancy.models import Enterprise, Membership
from guanwu.tenancy.validators import uscc_error


def test_demo_is_idempotent_and_logins_work(db):
    create_demo(say=lambda _: None)
    create_demo(say=lambda _: None)
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert names == {"演示进出口有限公司", "示例报关行有限公司"}
    assert all(uscc_error(scc) is None for scc in Enterprise.objects.values_list("scc", flat=True))
    for username, role in [("a_admin", "admin"), ("a_operator", "operator"), ("b_admin", "admin"),
                           ("b_operator", "operator")]:
        user = authenticate(username=username, password="guanwu-demo")
        assert user is not None, username
        assert Membership.objects.get(user=user).role == role
    assert Membership.objects.count() == 4
