from sitegen.text.namespaces import namespaced


def test_the_ids_a_conversion_gave_move_into_the_namespace_with_their_links():
    html = (
        '<h3 id="costs">Costs</h3><p>See<sup id="fnref:1"><a href="#fn:1">1</a></sup> '
        '<a href="#contact">us</a> <span id="mine">x</span></p>'
        '<div class="footnote"><li id="fn:1">Note <a href="#fnref:1">back</a></li></div>'
    )
    ids = frozenset({"costs", "fnref:1", "fn:1", "mine"})
    renamed, new_ids = namespaced(html, "faq2", ids)
    assert new_ids == {"faq2:costs", "faq2:fnref:1", "faq2:fn:1", "mine"}
    assert '<h3 id="faq2:costs">' in renamed and 'href="#faq2:fn:1"' in renamed
    assert 'href="#faq2:fnref:1"' in renamed and 'id="faq2:fn:1"' in renamed
    assert 'href="#contact"' in renamed  # a link to the page's other parts stays
    assert 'id="mine"' in renamed  # an id the editor wrote stays as written


def test_a_text_without_given_ids_is_returned_as_it_is():
    html = '<p id="x">Hello</p>'
    assert namespaced(html, "about", frozenset({"x"})) == (html, frozenset({"x"}))
