"""Official documents (văn bản): python-docx builders in the Decree 30/2020/NĐ-CP layout, number
registers per issuing body and year, and stored outputs that are never overwritten."""
