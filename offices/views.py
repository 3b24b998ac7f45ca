from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Office


@require_safe
def home(request):
    return render(request, "offices/home.html", {"offices": Office.objects.all()})


@require_safe
def office_list(request):
    return render(request, "offices/list.html", {"offices": Office.objects.all()})


@require_safe
def office_detail(request, slug):
    office = get_object_or_404(Office, slug=slug)
    return render(request, "offices/detail.html", {"office": office})
