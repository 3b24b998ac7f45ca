from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def directory(request):
    return render(request, "network/directory.html")
