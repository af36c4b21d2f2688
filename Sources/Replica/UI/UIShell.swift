/// The page every route serves (the script renders the route) and the favicon.
enum UIShell {
    static let html = #"""
<!DOCTYPE html>
<html lang="en" class="dark">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ostris - AI Toolkit</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<div id="root"></div>
<script src="/static/app.js"></script>
</body>
</html>
"""#

    static let favicon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f2937"/><path d="M9 23 16 8l7 15h-4l-3-7-3 7z" fill="#22c55e"/></svg>
"""#
}
