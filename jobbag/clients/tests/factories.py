import factory
from factory.django import DjangoModelFactory

from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.search import search_key


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"客户公司{n}")
    name_en = factory.Sequence(lambda n: f"Client Company {n}")
    industry = "家电"
    search = factory.LazyAttribute(lambda c: search_key(c.name, c.name_en, c.code))


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"品牌{n}")
    name_en = factory.Sequence(lambda n: f"Brand {n}")
    search = factory.LazyAttribute(lambda b: search_key(b.name, b.name_en))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "市场总监"
    mobile = factory.Sequence(lambda n: f"1380000{n:04d}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    search = factory.LazyAttribute(lambda c: search_key(c.name, c.email, c.mobile))
