"""After the answers: results, evaluation, cases, re-evaluation and the PDFs."""
