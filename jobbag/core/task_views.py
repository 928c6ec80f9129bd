from django.http import HttpResponse


def failed_tasks(request):
    return HttpResponse()


def retry_task(request, pk):
    return HttpResponse()
