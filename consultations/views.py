from django.shortcuts import render

from lokalwillkommen.roles import staff_required


@staff_required
def dashboard(request):
    return render(request, "consultations/dashboard.html")
