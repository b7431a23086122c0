/* Structure page (/structure/<id>): the « Imprimer » button prints the page with the print
   stylesheet (assets/fiche-impression.css). A file, not an inline handler: the
   Content-Security-Policy allows scripts from this site only. Does nothing on other pages. */
document.addEventListener("click", function (event) {
    var bouton = event.target.closest ? event.target.closest("#fiche-imprimer") : null;
    if (bouton) {
        window.print();
    }
});
